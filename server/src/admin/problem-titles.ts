/** Headlines for the error inbox: what happened, in words; the code stays in the details. */
const TITLES: Record<string, string> = {
  autotask_ticket_missing: 'The Autotask ticket was deleted',
  autotask_network: 'Could not reach Autotask',
  autotask_timeout: 'Autotask did not answer in time',
  autotask_thread_threshold: 'Autotask asked PSA Link to slow down',
  autotask_hourly_threshold: 'Autotask’s hourly request limit was reached',
  autotask_integration_code: 'Autotask does not accept the integration code',
  autotask_auth: 'Autotask refused the credentials',
  autotask_create_rejected: 'Autotask refused to create the ticket',
  autotask_create_failed: 'Creating the Autotask ticket failed',
  autotask_update_failed: 'Updating the Autotask ticket failed',
  autotask_note_failed: 'A note could not be added in Autotask',
  zendesk_comment_failed: 'A comment could not be added in Zendesk',
  zendesk_network: 'Could not reach Zendesk',
  zendesk_timeout: 'Zendesk did not answer in time',
  zendesk_auth: 'Zendesk refused PSA Link’s credentials',
}

/**
 * The problem's headline: a known code's title, else what the engine wrote before the remote's
 * words ("Creating the Autotask ticket failed: …"), else the message itself.
 */
export function problemTitle(code: string, message: string): string {
  const known = TITLES[code]
  if (known) return known
  const lead = message.split(': ')[0]?.trim()
  return lead && lead.length <= 120 ? lead.replace(/\.$/, '') : message.slice(0, 120)
}
