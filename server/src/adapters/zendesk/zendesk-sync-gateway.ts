import { ZENDESK_PRIORITIES, ZENDESK_STATUSES, type ZendeskPriority, type ZendeskStatus } from '@psa-link/shared'
import type { ZendeskComment as EngineComment, ZendeskGateway, ZendeskTicket as EngineTicket } from '../../sync/ports/zendesk-gateway'
import type { ZendeskClient } from './zendesk-client'
import type { ZendeskComment, ZendeskTicket } from './zendesk-types'

export interface ZendeskSyncGatewayOptions {
  client: ZendeskClient
  /** The id of the account's `Cluster ID` ticket field. */
  clusterIdFieldId: number | null
  /** The user PSA Link writes as, when known; otherwise the token's own user. */
  integrationUserId?: number | null
  /** PSA Link's own ticket fields for the linked Autotask ticket's number and status, once created. */
  linkFields?: { numberFieldId: number; statusFieldId: number } | null
}

/**
 * Comment authors' names kept by a gateway: far more than one batch names, and bounded, since a
 * gateway lives through a whole backfill whose 100,000 tickets may have as many requesters.
 */
export const USER_NAMES_MAX = 5_000

/** Marks linked tickets, so Zendesk views, triggers and reports can pick them out. */
export const LINKED_TAG = 'psa_link_linked'

/** The engine's ZendeskGateway over the REST client: Zendesk's shapes become the engine's words here. */
export function createZendeskSyncGateway({ client, clusterIdFieldId, integrationUserId, linkFields = null }: ZendeskSyncGatewayOptions): ZendeskGateway {
  const userNames = new Map<number, string>()
  let integrationUser: Promise<number> | null = integrationUserId ? Promise.resolve(integrationUserId) : null

  const toEngineTicket = (ticket: ZendeskTicket): EngineTicket => {
    const clusterValue = clusterIdFieldId === null ? null : ticket.customFields.find((field) => field.id === clusterIdFieldId)?.value
    const clusterId = typeof clusterValue === 'string' && clusterValue.trim() ? clusterValue.trim() : null
    return {
      id: ticket.id,
      subject: ticket.subject,
      status:
        ticket.status === 'deleted' ? 'deleted' : (ZENDESK_STATUSES as readonly string[]).includes(ticket.status) ? (ticket.status as ZendeskStatus) : 'open',
      priority: ticket.priority && (ZENDESK_PRIORITIES as readonly string[]).includes(ticket.priority) ? (ticket.priority as ZendeskPriority) : null,
      clusterId,
      tags: ticket.tags,
      followUpOf: ticket.followUpSourceId,
      createdAt: ticket.createdAt,
      updatedAt: ticket.updatedAt,
    }
  }

  /** Least recently used first (a Map keeps insertion order): a name in use is moved to the end. */
  function remember(id: number, name: string): void {
    userNames.delete(id)
    userNames.set(id, name)
    if (userNames.size > USER_NAMES_MAX) userNames.delete(userNames.keys().next().value!)
  }

  const toEngineComment = (comment: ZendeskComment): EngineComment => ({
    id: comment.id,
    authorId: comment.authorId,
    authorName: userNames.get(comment.authorId) ?? `Zendesk user ${comment.authorId}`,
    public: comment.public,
    htmlBody: comment.htmlBody || null,
    body: comment.body,
    attachmentNames: comment.attachments.map((attachment) => attachment.fileName),
    createdAt: comment.createdAt,
  })

  async function namesOf(ids: number[]): Promise<void> {
    const wanted = [...new Set(ids)]
    for (const id of wanted) if (userNames.has(id)) remember(id, userNames.get(id)!)
    const missing = wanted.filter((id) => !userNames.has(id))
    if (missing.length === 0) return
    for (const user of await client.getUsers(missing)) remember(user.id, user.name)
  }

  return {
    async readTicketChanges(position) {
      const page = await client.exportTickets('cursor' in position ? { cursor: position.cursor } : { startTime: new Date(position.startTime * 1000) })
      return { tickets: page.tickets.map(toEngineTicket), next: { cursor: page.afterCursor }, endOfStream: page.endOfStream }
    },

    async getTickets(ids) {
      if (ids.length === 0) return []
      return (await client.getTickets(ids)).map(toEngineTicket)
    },

    async readCommentEvents(startTime) {
      const page = await client.exportTicketEvents({ startTime: new Date(startTime * 1000), includeCommentEvents: true })
      const comments = page.events.flatMap((event) => event.comments.map((comment) => ({ ticketId: event.ticketId, comment })))
      await namesOf(comments.map(({ comment }) => comment.authorId))
      return {
        comments: comments.map(({ ticketId, comment }) => ({ ticketId, comment: toEngineComment(comment) })),
        endTime: Math.floor(page.endTime.getTime() / 1000),
        endOfStream: page.endOfStream,
      }
    },

    async listComments(ticketId) {
      const comments = await client.listComments(ticketId)
      await namesOf(comments.map((comment) => comment.authorId))
      return comments.map(toEngineComment)
    },

    async addComment(ticketId, comment, alsoShow) {
      const customFields = alsoShow && linkFields ? linkFieldValues(linkFields, alsoShow) : undefined
      const added = await client.addComment(ticketId, {
        body: comment.body,
        public: comment.public,
        ...(integrationUserId ? { authorId: integrationUserId } : {}),
        ...(customFields ? { customFields } : {}),
      })
      return { commentId: added.commentId, updatedAt: added.ticket.updatedAt }
    },

    canShowLinks: () => linkFields !== null,

    async showLink(ticket, shown, tag) {
      if (!linkFields) throw new Error('PSA Link’s Autotask ticket fields do not exist in this Zendesk account')
      const tags = tag === 'add' ? [...new Set([...ticket.tags, LINKED_TAG])] : tag === 'remove' ? ticket.tags.filter((name) => name !== LINKED_TAG) : null
      const updated = await client.updateTicketFields(ticket.id, {
        customFields: linkFieldValues(linkFields, shown),
        ...(tags ? { tags: { list: tags, updatedStamp: ticket.updatedAt } } : {}),
      })
      return { updatedAt: updated.updatedAt }
    },

    integrationUserId() {
      integrationUser ??= client.getCurrentUser().then((user) => user.id)
      return integrationUser
    },

    async userRole(userId) {
      const [user] = await client.getUsers([userId])
      return user && user.id === userId && user.active ? user.role : null
    },
  }
}

function linkFieldValues(fields: { numberFieldId: number; statusFieldId: number }, shown: { ticketNumber: string; status: string } | null) {
  return [
    { id: fields.numberFieldId, value: shown?.ticketNumber ?? null },
    { id: fields.statusFieldId, value: shown?.status ?? null },
  ]
}
