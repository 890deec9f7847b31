/** One audit entry as people read it: who did what (the time is shown beside it), and what changed. */
export interface AuditSentence {
  sentence: string
  changes: { field: string; before: string; after: string }[]
}

type Details = Record<string, unknown>

const text = (value: unknown): string =>
  value === null || value === undefined || value === '' ? '(none)' : typeof value === 'object' ? JSON.stringify(value) : String(value)
const connection = (details: Details) =>
  typeof details.name === 'string'
    ? `Autotask connection “${details.name}”`
    : typeof details.connectionName === 'string'
      ? `Autotask connection “${details.connectionName}”`
      : details.connectionId
        ? `Autotask connection ${text(details.connectionId)}`
        : 'an Autotask connection'
const ticket = (details: Details) => `Zendesk ticket #${text(details.zendeskTicketId)}`

/** Who the sidebar's manual link setting lets link tickets by hand (ManualLinkPolicy). */
const MANUAL_LINK_WHO: Record<string, string> = { off: 'nobody', agents: 'every agent', admins: 'only Zendesk admins' }

const PHRASES: Record<string, (details: Details) => string> = {
  sign_in: () => 'signed in',
  sign_out: () => 'signed out',
  password_changed: () => 'changed their password',
  first_admin_created: () => 'created the first admin login',
  admin_user_created: (d) => `added the admin login ${text(d.email)}${d.connectionId ? `, limited to ${connection(d)}` : ''}`,
  admin_user_removed: (d) => `removed the admin login ${text(d.email)}`,
  zendesk_oauth_started: () => 'started connecting Zendesk with OAuth',
  zendesk_connected: () => 'connected Zendesk',
  cluster_field_chosen: (d) => `chose the Zendesk ticket field “${text(d.title)}” as the Cluster ID field`,
  cluster_field_created: (d) => `created the Cluster ID field “${text(d.title)}” in Zendesk`,
  app_secret_generated: () => 'generated a new shared secret for the sidebar app (the old one stopped working)',
  webhook_registered: () => 'registered the Zendesk webhook',
  sidebar_manual_link_changed: (d) =>
    `let ${MANUAL_LINK_WHO[text(d.policy)] ?? text(d.policy)} link Zendesk tickets to Autotask tickets by hand from the sidebar`,
  zendesk_visibility_changed: (d) =>
    `turned ${d.after ? 'on' : 'off'} showing the Autotask ticket number and status in Zendesk (${d.before ? 'on' : 'off'} → ${d.after ? 'on' : 'off'})`,
  link_fields_created: () => 'created the Zendesk ticket fields for the Autotask ticket number and status',
  connection_added: (d) => `added ${connection(d)} (API user ${text(d.apiUsername)})`,
  connection_edited: (d) => `edited ${connection(d)}${d.credentialsChanged ? ' and its credentials' : ''}`,
  connection_zone_changed: (d) => `moved ${connection(d)} to another Autotask zone`,
  connection_tested: (d) => `tested ${connection(d)}: ${d.ok ? 'Autotask accepted it' : 'it failed'}`,
  connection_test_failed: (d) => `tried Autotask credentials for ${text(d.apiUsername)}, which failed${d.message ? `: ${text(d.message)}` : ''}`,
  connection_zone_refused: (d) => `entered a zone URL that is not Autotask’s (${text(d.zoneUrl)}); nothing was sent`,
  mappings_saved: (d) => `saved the mappings of ${connection(d)}`,
  connection_paused: (d) => `paused ${connection(d)}`,
  connection_resumed: (d) => `resumed ${connection(d)}`,
  connection_removed: (d) => `removed ${connection(d)}`,
  backfill_dry_run: () => 'counted what a backfill would create',
  backfill_started: () => 'started a backfill',
  backfill_paused: () => 'paused the backfill',
  backfill_resumed: () => 'resumed the backfill',
  problem_retry: (d) => `retried the problem of ${ticket(d)}`,
  problem_skip: (d) => `skipped the problem of ${ticket(d)}`,
  problem_resolve: (d) => `marked the problem of ${ticket(d)} resolved`,
  problems_bulk_retry: (d) => `retried ${text(d.retried)} problem(s) at once`,
  ticket_resync: (d) => `forced a sync of ${ticket(d)}`,
  cluster_id_routed: (d) =>
    `routed Cluster ID ${text(d.clusterId)} to ${text(d.accountName)} (account ${text(d.autotaskAccountId)}${d.installedProductId ? `, installed product ${text(d.installedProductId)}` : ''}) in ${connection(d)}; ${text(d.ticketsQueued)} waiting ticket(s) queued`,
  cluster_id_route_removed: (d) => `removed the route of Cluster ID ${text(d.clusterId)}`,
  alert_target_added: (d) => `added the ${text(d.kind)} alert target ${text(d.address)}`,
  alert_target_removed: (d) => `removed the ${text(d.kind)} alert target ${text(d.address)}`,
  alert_test_sent: (d) => `sent a test alert (${text(d.kind)})`,
  alert_test_failed: (d) => `sent a test alert (${text(d.kind)}), which was not delivered`,
  alert_smtp_saved: (d) => `saved the SMTP server ${text(d.host)}:${text(d.port)}${d.passwordChanged ? ' and its password' : ''}`,
  alert_smtp_removed: () => 'removed the account’s SMTP server',
}

/** Settings that changed between `before` and `after`, one line per leaf, as text. */
function differences(before: unknown, after: unknown, prefix = ''): AuditSentence['changes'] {
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
  if (isObject(before) || isObject(after)) {
    const left = isObject(before) ? before : {}
    const right = isObject(after) ? after : {}
    return [...new Set([...Object.keys(left), ...Object.keys(right)])]
      .sort()
      .flatMap((key) => differences(left[key], right[key], prefix ? `${prefix}.${key}` : key))
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ field: prefix, before: text(before), after: text(after) }]
}

export function describeAuditEntry(entry: { action: string; adminEmail: string | null; details: Details }): AuditSentence {
  const who = entry.adminEmail ?? 'Someone (a removed admin)'
  const phrase = PHRASES[entry.action]?.(entry.details) ?? entry.action.replaceAll('_', ' ')
  const changes =
    'settings' in entry.details && 'before' in entry.details
      ? differences(entry.details.before, entry.details.settings)
      : entry.action === 'connection_zone_changed'
        ? [{ field: 'zone URL', before: text(entry.details.from), after: text(entry.details.to) }]
        : []
  return { sentence: `${who} ${phrase}.`, changes }
}
