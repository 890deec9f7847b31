import type { ZendeskClient } from './zendesk-client'

/** The titles of the two ticket fields PSA Link creates for Zendesk-side visibility. */
export const LINK_FIELD_TITLES = { number: 'Autotask ticket number', status: 'Autotask status' } as const

/**
 * Finds or creates PSA Link's text fields for the linked Autotask ticket's number and status, the
 * way the Cluster ID field is made: through the API, never an app's requirements (uninstalling an
 * app deletes what its requirements created).
 */
export async function ensureLinkFields(client: Pick<ZendeskClient, 'findOrCreateTicketField'>): Promise<{ numberFieldId: number; statusFieldId: number }> {
  const number = await client.findOrCreateTicketField(LINK_FIELD_TITLES.number)
  const status = await client.findOrCreateTicketField(LINK_FIELD_TITLES.status)
  return { numberFieldId: number.id, statusFieldId: status.id }
}
