import type { FieldValue } from '../../server/sandbox/src/autotask/record-query'
import type { SyncContext } from '../../server/src/sync/sync-context'
import type { TestStack } from './test-stack'

/**
 * The account's sync context, in which a technician saves `changes` on Autotask ticket
 * `autotaskId` after PSA Link read it and just before PSA Link's notes on it land: PSA Link's
 * resource is then the ticket's last activity, and only a change scan can bring the edit back.
 */
export async function contextWithEditBeforeOwnNotes(stack: TestStack, autotaskId: number, changes: Record<string, FieldValue>): Promise<SyncContext> {
  const context = await stack.app.syncContexts.forAccount(stack.accountId)
  context.connections = context.connections.map((entry) => ({
    ...entry,
    gateway: {
      ...entry.gateway,
      createNotes: async (notes) => {
        if (notes.some((note) => note.ticketId === autotaskId)) stack.sandbox.autotask.editTicket(autotaskId, changes)
        return entry.gateway.createNotes(notes)
      },
    },
  }))
  return context
}
