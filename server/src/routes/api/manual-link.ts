import { externalIdFor, type ManualLinkPolicy } from '@psa-link/shared'
import type { ManualLinksRepository } from '../../db/repositories/manual-links-repository'
import type { SyncContextFactory } from '../../plugins/sync-engine/context-factory'
import { buildAutotaskSnapshot } from '../../sync/autotask-snapshot'
import { hideLinkInZendesk } from '../../sync/show-links-in-zendesk'
import type { SyncStore } from '../../sync/ports/sync-store'
import { normalizeClusterId } from '../../sync/sync-context'

/** An Autotask ticket number as Autotask shows it: T, the day, a dot, a sequence. */
export const AUTOTASK_TICKET_NUMBER = /^T\d{8}\.\d{4,}$/

export class ManualLinkError extends Error {
  constructor(
    readonly statusCode: 403 | 404 | 409,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = statusCode === 403 ? 'Forbidden' : statusCode === 404 ? 'Not Found' : 'Conflict'
  }
}

/**
 * The Zendesk user a verified sidebar token names. The proxy signed the token, but its claims were
 * written by the app's JavaScript in the agent's browser: this id is what the agent's browser said,
 * recorded as such in the audit log and used only as described at `authorize`.
 */
export function claimedUserId(authorization: string | undefined): number | null {
  const payload = /^Bearer [^.]+\.([^.]+)\./.exec(authorization ?? '')?.[1]
  if (!payload) return null
  try {
    const id = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { user_id?: unknown }).user_id
    const value = typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id
    return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null
  } catch {
    return null
  }
}

export interface ManualLinkOptions {
  engine: { contexts: SyncContextFactory; store: SyncStore }
  links: ManualLinksRepository
  policyOf(accountId: number): Promise<ManualLinkPolicy>
}

const LEASE_SECONDS = 60

/**
 * Link by hand from the sidebar: to an existing Autotask ticket by its number, or unlink. Who may is
 * the account's `sidebar_manual_link` setting, which only the backend holds:
 * - `off`: nobody, from the sidebar;
 * - `agents`: any agent of the account (all a verified token proves: it came through this
 *   account's installed app, whose secret only Zendesk's proxy holds);
 * - `admins`: the role is asked of Zendesk (users/{id}, with the tenant's own credentials), never
 *   taken from the token. The user id itself is still a claim, so this keeps ordinary agents and
 *   forged role claims out, not an agent who hand-crafts a token naming an admin; the audit log
 *   records the id as claimed.
 * While it writes, it holds the ticket's lease like any sync, so no worker races it.
 */
export function createManualLink(options: ManualLinkOptions) {
  async function authorize(accountId: number, userId: number | null): Promise<ManualLinkPolicy> {
    const policy = await options.policyOf(accountId)
    if (policy === 'off') throw new ManualLinkError(403, 'manual_link_off', 'Linking by hand from the sidebar is turned off for this Zendesk account.')
    if (policy === 'admins') {
      const context = await options.engine.contexts.forAccount(accountId)
      const role = userId === null ? null : await context.zendesk.userRole(userId)
      if (role !== 'admin') throw new ManualLinkError(403, 'manual_link_forbidden', 'Only Zendesk admins may link tickets by hand in this Zendesk account.')
    }
    return policy
  }

  async function underLease<T>(accountId: number, ticketId: number, owner: string, work: () => Promise<T>): Promise<T> {
    const claimed = await options.engine.store.claimTickets(accountId, [ticketId], owner, LEASE_SECONDS)
    if (!claimed.includes(ticketId)) throw new ManualLinkError(409, 'ticket_busy', 'A sync of this ticket is running; try again in a moment.')
    try {
      return await work()
    } finally {
      await options.engine.store.releaseTickets(accountId, [ticketId], owner)
    }
  }

  /**
   * Unlinked: the tag comes off and the fields are cleared. The unlink stands even when Zendesk
   * refuses (a closed ticket cannot change); the failure is logged with the ticket.
   */
  async function hideInZendesk(accountId: number, ticketId: number, shown: Parameters<typeof hideLinkInZendesk>[2]): Promise<void> {
    if (shown === null) return
    const links = options.engine.store
    const context = await options.engine.contexts.forAccount(accountId)
    try {
      const [ticket] = await context.zendesk.getTickets([ticketId])
      if (ticket) await hideLinkInZendesk(context, ticket, shown)
      const link = (await links.getLinks(accountId, [ticketId])).get(ticketId)
      if (link) await links.saveShownInZendesk(link.id, null)
    } catch (error) {
      context.log.warn({ err: error, ticketId }, 'the unlinked ticket’s Autotask fields and tag could not be cleared in Zendesk')
    }
  }

  return {
    async link(accountId: number, ticketId: number, autotaskTicketNumber: string, userId: number | null): Promise<void> {
      const policy = await authorize(accountId, userId)
      const context = await options.engine.contexts.forAccount(accountId)
      const usable = context.connections.filter((connection) => connection.ready)
      let found: {
        connection: (typeof usable)[number]
        ticket: Awaited<ReturnType<(typeof usable)[number]['gateway']['findTicketsByNumbers']>>[number]
      } | null = null
      for (const connection of usable) {
        const [ticket] = await connection.gateway.findTicketsByNumbers([autotaskTicketNumber])
        if (ticket) {
          found = { connection, ticket }
          break
        }
      }
      if (!found)
        throw new ManualLinkError(404, 'autotask_ticket_not_found', `No Autotask ticket ${autotaskTicketNumber} in this account's Autotask connections.`)
      const { connection, ticket } = found
      const [zendeskTicket] = await context.zendesk.getTickets([ticketId])
      const accountNames = await connection.gateway.accountNames([ticket.accountId])
      const snapshot = buildAutotaskSnapshot(ticket, connection.picklists, accountNames.get(ticket.accountId) ?? null, connection.gateway.ticketUrl(ticket.id))
      // The baseline a sync compares against, as after a create: from here on the link is like any other.
      const synced = {
        title: ticket.title,
        priority: ticket.priority,
        status: ticket.status,
        zendeskStatus: zendeskTicket && zendeskTicket.status !== 'deleted' ? zendeskTicket.status : undefined,
        accountId: ticket.accountId,
        installedProductId: ticket.installedProductId ?? undefined,
        clusterId: zendeskTicket?.clusterId ? normalizeClusterId(zendeskTicket.clusterId) : undefined,
        autotaskDescription: ticket.description,
      }
      const outcome = await underLease(accountId, ticketId, context.owner, () =>
        options.links.link(
          {
            zendeskAccountId: accountId,
            zendeskTicketId: ticketId,
            connectionId: connection.id,
            autotaskTicketId: ticket.id,
            autotaskTicketNumber: ticket.ticketNumber,
            externalId: externalIdFor(accountId, ticketId),
            synced,
            snapshot,
          },
          { claimedZendeskUserId: userId, policy },
        ),
      )
      if (!outcome.ok && outcome.code === 'autotask_ticket_taken') {
        throw new ManualLinkError(409, 'autotask_ticket_taken', `Autotask ticket ${autotaskTicketNumber} is already linked to another Zendesk ticket.`)
      }
      if (!outcome.ok) throw new ManualLinkError(409, 'already_linked', 'This ticket is linked; unlink it first.')
      await options.engine.store.resolveProblems(accountId, ticketId)
      // The next cycle syncs it in full, which also shows the link in Zendesk (fields and tag).
      await options.engine.store.markDirty(accountId, [ticketId], new Date())
    },

    async unlink(accountId: number, ticketId: number, userId: number | null): Promise<void> {
      const policy = await authorize(accountId, userId)
      const owner = `sidebar-unlink:${accountId}:${ticketId}:${Date.now()}`
      const done = await underLease(accountId, ticketId, owner, async () => {
        const shown = (await options.engine.store.getLinks(accountId, [ticketId])).get(ticketId)?.shownInZendesk ?? null
        if (!(await options.links.unlink(accountId, ticketId, { claimedZendeskUserId: userId, policy }))) return false
        await hideInZendesk(accountId, ticketId, shown)
        return true
      })
      if (!done) throw new ManualLinkError(409, 'not_linked', 'This ticket is not linked to an Autotask ticket.')
    },
  }
}
