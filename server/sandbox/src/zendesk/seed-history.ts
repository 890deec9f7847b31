import type { ZendeskEmulator } from './emulator'

/** The tag every seeded historical ticket carries: how a second seeding knows the first. */
export const HISTORY_TAG = 'sandbox_history'
export const HISTORY_TICKETS = 200

export interface HistorySeedResult {
  /** Tickets created by this call (0 when the history was there already). */
  created: number
  /** Historical tickets in the account after the call. */
  total: number
}

const DAY = 86_400_000
/** Inside the admin console's default backfill window (30 days), older than the demo tickets (1 day). */
const OLDEST_DAYS_AGO = 28
const NEWEST_DAYS_AGO = 2

/** Cluster IDs of the Autotask emulator's installed products (demo-seed.ts), and one it does not know. */
const CLUSTERS = ['CL-1001', 'CL-1002', 'CL-1003', 'CL-1006', 'CL-1001', 'CL-1002', 'CL-1003', 'CL-1006', 'CL-1001', 'CL-8888']
const PROBLEMS = [
  [
    'Node {n} reports a degraded RAID volume',
    '<p>The controller on node {n} shows the volume as <strong>degraded</strong>.</p><ul><li>disk 2 predictive failure</li><li>rebuild not started</li></ul>',
  ],
  ['Scheduled firmware update for {c}', '<p>Please plan the firmware bundle for {c} in the next maintenance window.</p>'],
  ['Backup window overruns on {c}', '<p>The nightly backup ran until 07:10 &amp; blocked the morning batch.</p>'],
  ['Fan alarm on node {n}', '<p>Fan 4 of node {n} runs at 100&nbsp;% since yesterday.</p>'],
  [
    'Certificate expires on the {c} management interface',
    '<p>The iLO certificate expires in 14 days. See <a href="https://support.example.com/kb/cert">the KB</a>.</p>',
  ],
  ['Memory errors logged on node {n}', '<p>Correctable ECC errors on DIMM {n}, about 30 an hour.</p>'],
  ['Cluster {c} failover test request', '<blockquote>We would like a failover test before quarter end.</blockquote><p>Any date next week works.</p>'],
  ['Slow storage latency on {c}', '<p>Latency peaks at 40&nbsp;ms during the day.</p>'],
] as const
const REPLIES = [
  { body: 'Thanks, we are looking into it and will update you today.', public: true },
  { body: 'Checked the logs: it matches a known issue, part ordered.', public: false },
  { body: 'Could you send the latest diagnostics bundle?', public: true },
  { body: 'Escalated to the hardware team.', public: false },
] as const
/** Mostly open work, some solved (a backfill leaves those out unless asked). */
const STATUSES = ['open', 'open', 'new', 'pending', 'open', 'hold', 'open', 'solved', 'open', 'pending'] as const
const PRIORITIES = ['normal', 'high', 'low', 'normal', 'urgent'] as const

/**
 * "Seed 200 historical tickets": Zendesk tickets written 2 to 28 days ago, with Cluster IDs and a
 * few comments each, that PSA Link has never seen (no webhook, before its export position), so the
 * admin console's backfill has something to do with a progress bar and an ETA. Idempotent: a
 * second call finds the tagged tickets and creates nothing.
 *
 * The emulator's clock is pinned to each historical moment while writing and then returned to
 * real time (a clock a test had pinned is released).
 */
export function seedHistoricalTickets(emulator: ZendeskEmulator, count = HISTORY_TICKETS): HistorySeedResult {
  const existing = emulator.tickets().filter((ticket) => ticket.tags.includes(HISTORY_TAG)).length
  if (existing > 0) return { created: 0, total: existing }
  const requester = emulator.requester()
  const agents = emulator.agents()
  const now = Date.now()
  const span = (OLDEST_DAYS_AGO - NEWEST_DAYS_AGO) * DAY
  const state = emulator.state()
  state.store.importHistory(() => {
    try {
      for (let index = 0; index < count; index += 1) {
        // Oldest first, so export positions follow time as they would have.
        const createdAt = now - OLDEST_DAYS_AGO * DAY + Math.floor((span * index) / count)
        const cluster = CLUSTERS[index % CLUSTERS.length]!
        const [subject, html] = PROBLEMS[index % PROBLEMS.length]!
        const fill = (text: string) => text.replaceAll('{c}', cluster).replaceAll('{n}', String((index % 8) + 1))
        emulator.setNow(new Date(createdAt))
        const ticket = emulator.createTicket({
          subject: `${fill(subject)} (#H${index + 1})`,
          comment: { htmlBody: fill(html), authorId: requester.id },
          requesterId: requester.id,
          priority: PRIORITIES[index % PRIORITIES.length]!,
          tags: [HISTORY_TAG],
          clusterId: cluster,
        })
        const replies = 1 + (index % 3)
        for (let reply = 0; reply < replies; reply += 1) {
          const agent = agents[(index + reply) % agents.length]!
          const text = REPLIES[(index + reply) % REPLIES.length]!
          emulator.setNow(new Date(createdAt + (reply + 1) * 3_600_000))
          emulator.addComment(ticket.id, { body: text.body, public: text.public, authorId: agent.id })
        }
        const status = STATUSES[index % STATUSES.length]!
        if (status !== 'new') {
          emulator.setNow(new Date(createdAt + (replies + 1) * 3_600_000))
          emulator.updateTicket(ticket.id, { status, assigneeId: agents[index % agents.length]!.id }, agents[index % agents.length]!.id)
        }
      }
    } finally {
      emulator.setNow(null)
    }
  })
  return { created: count, total: count }
}
