import type { ZendeskEmulator } from './zendesk'
import type { PreviewTicket } from './agent/preview-page'

/** A Zendesk emulator ticket as the agent-workspace preview shows it. */
export function previewTicketFrom(emulator: ZendeskEmulator, id: number): PreviewTicket | null {
  const ticket = emulator.ticket(id)
  if (!ticket || ticket.deleted) return null
  const users = emulator.state().store.users
  return {
    id: ticket.id,
    subject: ticket.subject,
    status: ticket.status,
    priority: ticket.priority,
    requesterName: users.get(ticket.requesterId)?.name ?? `User ${ticket.requesterId}`,
    clusterId: ticket.customFields.get(emulator.clusterIdFieldId) ?? null,
    comments: ticket.comments.map((comment) => ({
      author: users.get(comment.authorId)?.name ?? `User ${comment.authorId}`,
      html: comment.htmlBody,
      public: comment.public,
      createdAt: comment.createdAt.toISOString(),
    })),
  }
}
