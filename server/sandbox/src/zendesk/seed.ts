import type { EmulatorClock } from './clock'
import type { EmulatorUser, ZendeskStore } from './data'

/**
 * The demo account: an integration user (the API credentials' owner), two agents, a requester,
 * Zendesk's system ticket fields plus `Cluster ID`, and tickets covering what the sync must handle:
 * known, unknown and duplicated Cluster IDs, none at all, HTML comments public and private, a closed one.
 */
export const SANDBOX_CREDENTIALS = {
  subdomain: 'demo',
  accessToken: 'sandbox-oauth-token',
  email: 'admin@demo.test',
  apiToken: 'sandbox-token',
  oauthClientId: 'psa-link-sandbox',
  oauthClientSecret: 'sandbox-oauth-secret',
} as const

export const CLUSTER_ID_FIELD_TITLE = 'Cluster ID'

export interface SeededAccount {
  integrationUser: EmulatorUser
  agents: EmulatorUser[]
  requester: EmulatorUser
  clusterIdFieldId: number
}

export function seedSystemFields(store: ZendeskStore, clock: EmulatorClock): void {
  const at = clock.now()
  const system: Array<[string, string]> = [
    ['subject', 'Subject'],
    ['description', 'Description'],
    ['status', 'Status'],
    ['tickettype', 'Type'],
    ['priority', 'Priority'],
    ['group', 'Group'],
    ['assignee', 'Assignee'],
  ]
  system.forEach(([type, title], index) => {
    const id = 9_000_000_001 + index
    store.ticketFields.set(id, {
      id,
      type,
      title,
      description: '',
      active: true,
      required: type === 'subject' || type === 'description',
      position: index + 1,
      createdAt: at,
      updatedAt: at,
    })
  })
}

export function seedDemoAccount(store: ZendeskStore, clock: EmulatorClock, withTickets: boolean): SeededAccount {
  seedSystemFields(store, clock)
  const integrationUser = store.createUser({ name: 'PSA Link Integration', email: SANDBOX_CREDENTIALS.email, role: 'admin' })
  const alex = store.createUser({ name: 'Alex Agent', email: 'alex.agent@demo.test', role: 'agent' })
  const sam = store.createUser({ name: 'Sam Support', email: 'sam.support@demo.test', role: 'agent' })
  const requester = store.createUser({ name: 'Riley Requester', email: 'riley@customer.test', role: 'end-user' })
  const clusterField = store.createTicketField({ type: 'text', title: CLUSTER_ID_FIELD_TITLE, description: 'Cluster the ticket belongs to' })
  const account: SeededAccount = { integrationUser, agents: [alex, sam], requester, clusterIdFieldId: clusterField.id }
  if (!withTickets) return account

  const cluster = (value: string | null): Array<{ id: number; value: unknown }> => [{ id: clusterField.id, value }]
  const asRequester = (subject: string, html: string, clusterId: string | null, priority: string | null = 'normal') =>
    store.createTicket(
      { subject, comment: { htmlBody: html, authorId: requester.id }, requesterId: requester.id, priority, customFields: cluster(clusterId) },
      requester.id,
    ).ticket

  const outage = asRequester(
    'Cluster CL-1001 node 3 unreachable',
    '<p>Node 3 of our cluster stopped answering at <strong>09:40</strong>.</p><ul><li>ping fails</li><li>iLO reachable</li></ul>',
    'CL-1001',
    'urgent',
  )
  store.updateTicket(
    outage.id,
    {
      comment: {
        htmlBody: '<p>Checking the iLO logs now.</p><p>See <a href="https://support.example.com/kb/42">KB 42</a>.</p>',
        public: true,
        authorId: alex.id,
      },
      assigneeId: alex.id,
    },
    alex.id,
  )
  store.updateTicket(
    outage.id,
    { comment: { htmlBody: '<p><em>Internal:</em> PSU 2 reports a fault, replacement ordered.</p>', public: false, authorId: alex.id } },
    alex.id,
  )

  asRequester('Firmware upgrade request for CL-1002', '<p>Please schedule the SPP upgrade for next week.</p>', 'CL-1002', 'low')
  asRequester('Disk warning on CL-7777', '<p>Predictive failure on bay 4.</p>', 'CL-7777', 'high')
  asRequester('Backup job failing (cluster listed twice)', '<p>Nightly backup fails with error 0x80.</p>', 'CL-1005', 'normal')
  asRequester('How do I reset my portal password?', '<p>I forgot my password.</p>', null, 'low')
  const padded = asRequester('Fan noise in rack B', '<blockquote>Loud fans since the weekend.</blockquote>', '  cl-1002 ', 'normal')
  store.updateTicket(padded.id, { comment: { body: 'Could you send a photo of the front panel?', public: true, authorId: sam.id } }, sam.id)

  const done = asRequester('Replaced DIMM on CL-1001', '<p>DIMM 7 replaced, memory test passed.</p>', 'CL-1001', 'normal')
  store.updateTicket(done.id, { comment: { body: 'Closing after confirmation.', public: true, authorId: sam.id }, status: 'solved' }, sam.id)
  store.updateTicket(done.id, { status: 'closed' }, integrationUser.id)
  return account
}
