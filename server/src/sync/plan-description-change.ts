import { createHash } from 'node:crypto'
import { DESCRIPTION_CHANGED_HEADER, TICKET_DESCRIPTION_MAX, capRemoteText, normalizeText } from '@psa-link/shared'

/**
 * A technician's edit of the Autotask description is posted to Zendesk as an internal comment
 * (sync/README.md R7). Its natural key is a hash of the body, so an interrupted post is
 * recognised in Zendesk afterwards.
 */
export function descriptionChangeBody(description: string): string {
  return `${DESCRIPTION_CHANGED_HEADER}\n\n${capRemoteText(description, TICKET_DESCRIPTION_MAX)}`
}

export function descriptionChangeKey(body: string): string {
  const digest = createHash('sha256').update(normalizeText(body).replace(/\s+/g, ' ')).digest('hex').slice(0, 16)
  return `Autotask description changed ${digest}`
}
