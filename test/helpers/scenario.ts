import { createAutotaskEmulator } from '../../server/sandbox/src/autotask'
import { createZendeskEmulator } from '../../server/sandbox/src/zendesk'
import type { EmulatorTicketInput } from '../../server/sandbox/src/zendesk/emulator'
import { linkOf } from './sync-driver'
import { startTestStack, type TestStack, type TestStackOptions } from './test-stack'

/**
 * A test stack whose Zendesk export shows changes at once (Zendesk holds back the last minute) and
 * allows many exports a minute, so a scenario can run cycle after cycle. Fault and limit tests set
 * the real values back.
 */
export async function startScenario(options: Omit<TestStackOptions, 'emulators'> & { webhooks?: boolean } = {}): Promise<TestStack> {
  const { webhooks = false, ...stackOptions } = options
  const zendesk = createZendeskEmulator({ exportLagSeconds: 0 })
  zendesk.setLimits({ incrementalExportsPerMinute: 10_000, accountRequestsPerMinute: 100_000, ticketUpdatesPerMinute: 10_000, updatesPerTicketPerUser: 10_000 })
  const autotask = createAutotaskEmulator()
  const stack = await startTestStack({ ...stackOptions, emulators: { zendesk, autotask } })
  // Scenarios drive cycles themselves: without webhooks no background sync races their steps.
  if (!webhooks) for (const webhook of zendesk.state().webhooks.webhooks.values()) webhook.status = 'inactive'
  return stack
}

/** A Zendesk ticket opened by the seeded requester. */
export function openTicket(stack: TestStack, input: Partial<EmulatorTicketInput> & { clusterId?: string | null }) {
  const zendesk = stack.sandbox.zendesk
  return zendesk.createTicket({
    subject: input.subject ?? 'Server down',
    comment: input.comment ?? { htmlBody: '<p>It does not boot.</p>', public: true },
    requesterId: zendesk.requester().id,
    ...input,
  })
}

export function agentOf(stack: TestStack) {
  return stack.sandbox.zendesk.agents()[0]!
}

/** The Autotask ticket linked to Zendesk ticket `zendeskId` (as the emulator has it, SOAP field names). */
export async function autotaskTicketOf(stack: TestStack, zendeskId: number) {
  const link = await linkOf(stack, zendeskId)
  if (!link?.autotask_ticket_id) return undefined
  return stack.sandbox.autotask.getTicket(link.autotask_ticket_id)
}

export async function autotaskNotesOf(stack: TestStack, zendeskId: number) {
  const link = await linkOf(stack, zendeskId)
  if (!link?.autotask_ticket_id) return []
  return stack.sandbox.autotask.listNotes(link.autotask_ticket_id)
}

export function zendeskCommentsOf(stack: TestStack, zendeskId: number) {
  return stack.sandbox.zendesk.ticket(zendeskId)?.comments ?? []
}

/** Autotask tickets whose ExternalID names this Zendesk ticket: the "exactly once" check. */
export function autotaskTicketsFor(stack: TestStack, zendeskId: number) {
  return stack.sandbox.autotask.listTickets().filter((ticket) => ticket.fields.ExternalID === `zd:${stack.accountId}:${zendeskId}`)
}
