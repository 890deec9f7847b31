import type { Pool } from 'pg'

/** Row builders for tests: the least a row needs, with overrides. Secrets are placeholders, not real ciphertext. */
export async function insertZendeskAccount(pool: Pool, overrides: { subdomain?: string } = {}): Promise<number> {
  // Math.random only for unique names (never a draw a failure depends on), so it needs no seed.
  const subdomain = overrides.subdomain ?? `acct-${Math.random().toString(36).slice(2, 10)}`
  const { rows } = await pool.query<{ id: number }>('INSERT INTO zendesk_accounts (subdomain, base_url) VALUES ($1, $2) RETURNING id', [
    subdomain,
    `https://${subdomain}.zendesk.test`,
  ])
  return rows[0]!.id
}

export async function insertConnection(pool: Pool, zendeskAccountId: number, overrides: { name?: string } = {}): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO autotask_connections (zendesk_account_id, name, api_username, secret_enc, integration_code_enc)
     VALUES ($1, $2, 'api@demo.test', 'enc:secret', 'enc:code') RETURNING id`,
    [zendeskAccountId, overrides.name ?? `conn-${Math.random().toString(36).slice(2, 8)}`],
  )
  return rows[0]!.id
}

export interface LinkRow {
  zendeskAccountId: number
  connectionId: number
  zendeskTicketId: number
  autotaskTicketId?: number | null
  externalId?: string
}

export async function insertTicketLink(pool: Pool, link: LinkRow): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO ticket_links (zendesk_account_id, connection_id, zendesk_ticket_id, autotask_ticket_id, external_id)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [
      link.zendeskAccountId,
      link.connectionId,
      link.zendeskTicketId,
      link.autotaskTicketId ?? null,
      link.externalId ?? `zd:${link.zendeskAccountId}:${link.zendeskTicketId}`,
    ],
  )
  return rows[0]!.id
}
