import type { Database } from '../../../server/src/db/database'
import type { SandboxHttp } from '../../helpers/remote-sandbox'
import type { SeededRandom } from '../../helpers/seeded-random'

/** A sync workload built over HTTP in a remote sandbox, and the "exactly once" check at its end. */
export interface Workload {
  accountId: number
  integrationUserId: number
  clusterFieldId: number
  requesterId: number
  ticketIds: number[]
  technicianNotes: number
}

const ROUTABLE = ['CL-1001', 'CL-1002', 'CL-1003', 'CL-1006']

interface ZendeskTicketJson {
  id: number
  requester_id: number
  status: string
}
interface ZendeskCommentJson {
  id: number
  author_id: number
  body: string
  public: boolean
}
interface AutotaskRecordJson {
  id: number
  [field: string]: unknown
}

async function openTicket(sandbox: SandboxHttp, workload: Pick<Workload, 'clusterFieldId'>, index: number): Promise<ZendeskTicketJson> {
  const { ticket } = await sandbox.zendesk<{ ticket: ZendeskTicketJson }>('POST', '/api/v2/tickets.json', {
    ticket: {
      subject: `Workload ticket ${index} <&> ]]>`,
      comment: { body: `Description of ${index}`, public: true },
      requester: { name: 'Workload Customer', email: 'workload@customer.test' },
      custom_fields: [{ id: workload.clusterFieldId, value: ROUTABLE[index % ROUTABLE.length] }],
    },
  })
  return ticket
}

async function comment(sandbox: SandboxHttp, workload: Workload, ticketId: number, body: string, isPublic: boolean): Promise<void> {
  await sandbox.zendesk('PUT', `/api/v2/tickets/${ticketId}.json`, { ticket: { comment: { body, public: isPublic, author_id: workload.requesterId } } })
}

export async function seedWorkload(
  sandbox: SandboxHttp,
  tenant: { accountId: number; integrationUserId: number },
  size: { tickets: number; commentsPerTicket: number },
): Promise<Workload> {
  const fields = await sandbox.zendesk<{ ticket_fields: { id: number; title: string }[] }>('GET', '/api/v2/ticket_fields.json')
  const clusterFieldId = fields.ticket_fields.find((field) => field.title === 'Cluster ID')!.id
  const first = await openTicket(sandbox, { clusterFieldId }, 0)
  const workload: Workload = { ...tenant, clusterFieldId, requesterId: first.requester_id, ticketIds: [first.id], technicianNotes: 0 }
  for (let index = 1; index < size.tickets; index += 1) workload.ticketIds.push((await openTicket(sandbox, workload, index)).id)
  for (const ticketId of workload.ticketIds) {
    for (let number = 0; number < size.commentsPerTicket; number += 1)
      await comment(sandbox, workload, ticketId, `Comment ${number} on ${ticketId}`, number % 2 === 0)
  }
  return workload
}

/** Work that arrives between crashes: new comments, technicians' notes, new tickets. */
export async function addMoreWork(sandbox: SandboxHttp, database: Database, workload: Workload, round: number, random: SeededRandom): Promise<void> {
  const pick = <T>(items: T[]) => random.pick(items)
  for (let count = 0; count < 2; count += 1) await comment(sandbox, workload, pick(workload.ticketIds), `Between crashes ${round}.${count}`, count === 0)
  const { rows } = await database.pool.query<{ autotask_ticket_id: number }>("SELECT autotask_ticket_id FROM ticket_links WHERE state = 'linked'")
  if (rows.length > 0) {
    for (let count = 0; count < 2; count += 1) {
      await sandbox.autotaskControl('POST', `/tickets/${pick(rows).autotask_ticket_id}/notes`, {
        title: `Technician ${round}.${count}`,
        description: `Onsite work ${round}.${count}`,
      })
      workload.technicianNotes += 1
    }
  }
  if (round % 5 === 4) workload.ticketIds.push((await openTicket(sandbox, workload, workload.ticketIds.length)).id)
}

async function snapshot(sandbox: SandboxHttp, workload: Workload) {
  const comments = new Map<number, ZendeskCommentJson[]>()
  for (const id of workload.ticketIds) {
    const page = await sandbox.zendesk<{ comments: ZendeskCommentJson[] }>('GET', `/api/v2/tickets/${id}/comments.json?page[size]=100`)
    comments.set(id, page.comments)
  }
  const tickets = await sandbox.autotaskControl<AutotaskRecordJson[]>('GET', '/tickets')
  const notes = await sandbox.autotaskControl<AutotaskRecordJson[]>('GET', '/notes')
  return { comments, tickets, notes }
}

/** Every way the end state can be wrong, in words; empty when everything happened exactly once. */
async function problems(sandbox: SandboxHttp, workload: Workload): Promise<string[]> {
  const { comments, tickets, notes } = await snapshot(sandbox, workload)
  const found: string[] = []
  for (const ticketId of workload.ticketIds) {
    const created = tickets.filter((ticket) => ticket.ExternalID === `zd:${workload.accountId}:${ticketId}`)
    if (created.length !== 1) {
      found.push(`Zendesk ticket ${ticketId} has ${created.length} Autotask tickets`)
      continue
    }
    const autotaskId = created[0]!.id
    const ticketNotes = notes.filter((note) => note.TicketID === autotaskId)
    const zendeskComments = comments.get(ticketId) ?? []
    for (const comment of zendeskComments.slice(1)) {
      const mirrored = ticketNotes.filter((note) => String(note.Title).startsWith(`Zendesk #${comment.id}:`))
      const expected = comment.author_id === workload.integrationUserId ? 0 : 1
      if (mirrored.length !== expected) found.push(`comment ${comment.id} on ticket ${ticketId} became ${mirrored.length} notes (expected ${expected})`)
    }
    for (const note of ticketNotes.filter((candidate) => String(candidate.Title).startsWith('Technician'))) {
      const mirrored = zendeskComments.filter((comment) => comment.body.startsWith(`Autotask note #${note.id} `))
      if (mirrored.length !== 1) found.push(`note ${note.id} on Autotask ticket ${autotaskId} became ${mirrored.length} comments`)
    }
    const echoes = ticketNotes.filter((note) => String(note.Description).startsWith('Autotask note #'))
    if (echoes.length > 0) found.push(`ticket ${ticketId}: ${echoes.length} notes echo PSA Link's own comments`)
  }
  const technicianNotes = notes.filter((note) => String(note.Title).startsWith('Technician')).length
  if (technicianNotes !== workload.technicianNotes) found.push(`expected ${workload.technicianNotes} technician notes, Autotask has ${technicianNotes}`)
  return found
}

/** Waits (bounded) until the end state is exactly right; fails with everything still wrong. */
export async function expectExactlyOnce(sandbox: SandboxHttp, _database: Database, workload: Workload, options: { timeoutMs: number }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs
  let remaining: string[] = []
  for (;;) {
    remaining = await problems(sandbox, workload)
    if (remaining.length === 0) return
    // A duplicate never heals: stop at once rather than wait for the deadline.
    const doubled = remaining.filter((problem) => / has [2-9]\d* Autotask| became [2-9]\d* |echo/.test(problem))
    if (doubled.length > 0 || Date.now() > deadline) break
    await new Promise((resolve) => setTimeout(resolve, 2000))
  }
  expect(remaining).toEqual([])
}
