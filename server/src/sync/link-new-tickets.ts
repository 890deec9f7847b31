import type { IntegrationError } from '../errors/integration-error'
import { externalIdFor, splitIntoParts, TICKET_DESCRIPTION_MAX } from '@psa-link/shared'
import { stillHoldsTickets } from './lease-heartbeat'
import { buildAutotaskSnapshot } from './autotask-snapshot'
import { mergedInto } from './follow-zendesk-merge'
import { mappedValues } from './plan-fields'
import { commentText } from './plan-mirroring'
import type { NewAutotaskTicket } from './ports/autotask-gateway'
import type { SyncBookkeepingStore } from './ports/sync-bookkeeping-store'
import type { TicketLinkStore } from './ports/ticket-link-store'
import type { TicketStateStore } from './ports/ticket-state-store'
import { routeClusterIds, type Route } from './route-tickets'
import { reportTicketFailure } from './report-ticket-failure'
import { messageOf, retryAt } from './retry-policy'
import type { ConnectionContext, SyncContext } from './sync-context'
import { normalizeClusterId } from './sync-context'
import { settle, type TicketWork } from './ticket-work'
import { readMissingComments } from './read-missing-comments'

const CREATE_FAILURE = { whatFailed: 'Creating the Autotask ticket failed', refusal: 'Autotask refused the ticket' }

/** Autotask's system value for New: every ticket starts there (sync/README.md R4). */
const AUTOTASK_STATUS_NEW = 1

/**
 * Creates the Autotask ticket of every eligible, routable, unlinked ticket — once. The intent (a
 * pending link carrying the ExternalID) is committed before the create call; a pending link left by
 * an earlier crash is first looked up in Autotask by that ExternalID and completed if found.
 */
export async function linkNewTickets(
  context: SyncContext<TicketLinkStore & TicketStateStore & SyncBookkeepingStore>,
  items: TicketWork[],
  nextCycleAt: Date,
): Promise<void> {
  const unlinked = items.filter((work) => !work.outcome && (!work.link || (work.link.state === 'pending' && work.link.autotaskTicketId === null)))
  await recoverPendingLinks(context, unlinked)
  const candidates = unlinked.filter((work) => !work.outcome && !work.link?.autotaskTicketId)
  if (candidates.length === 0) return

  const ready = context.connections.filter((connection) => connection.ready)
  const eligible: TicketWork[] = []
  for (const work of candidates) {
    const { ticket } = work
    if (ticket.status === 'deleted') settle(work, { state: 'not_eligible', reason: 'deleted', message: 'This ticket was deleted in Zendesk.', retryAt: null })
    else if (ticket.tags.includes('closed_by_merge')) {
      // Merged away (its link, if it had one, moved to the survivor): say where it went.
      const survivor = await mergedInto(context, work)
      settle(work, {
        state: 'closed',
        reason: 'merged',
        message: `This Zendesk ticket was merged into ${survivor ? `#${survivor}` : 'another'}.`,
        retryAt: null,
      })
    } else if (!ticket.clusterId) settle(work, { state: 'not_eligible', reason: 'no_cluster_id', message: 'This ticket has no Cluster ID.', retryAt: null })
    else if (ready.length === 0) {
      const reasons = context.connections.map((connection) => `${connection.name}: ${connection.notReadyReason ?? 'not ready'}`)
      settle(work, {
        state: 'not_eligible',
        reason: 'no_ready_connection',
        message: `No Autotask connection is ready${reasons.length ? ` (${reasons.join('; ')})` : ''}.`,
        retryAt: nextCycleAt,
      })
    } else eligible.push(work)
  }

  const routes = await routeClusterIds(
    context,
    eligible.map((work) => work.ticket.clusterId!),
  )
  await nameAmbiguousCandidates(context, routes)
  const byConnection = new Map<ConnectionContext, { work: TicketWork; route: Extract<Route, { kind: 'routed' }> }[]>()
  for (const work of eligible) {
    const clusterId = work.ticket.clusterId!
    const route = routes.get(normalizeClusterId(clusterId)) ?? { kind: 'unrouted' as const }
    if (route.kind === 'unrouted') {
      settle(work, { state: 'unrouted', message: `Cluster ID ${clusterId} is not registered in Autotask.`, retryAt: nextCycleAt })
    } else if (route.kind === 'ambiguous') {
      const message = `Cluster ID ${clusterId} matches ${route.candidates.length} Autotask installed products; an admin must resolve it.`
      settle(work, { state: 'ambiguous', message, candidates: route.candidates, retryAt: nextCycleAt })
    } else if (route.kind === 'unknown') {
      settle(work, { state: 'error', message: `Autotask could not be asked about Cluster ID ${clusterId}: ${route.reason}`, retryAt: nextCycleAt })
    } else if (work.link && work.link.connectionId !== route.connection.id) {
      settle(work, { state: 'error', message: 'The Cluster ID now routes to another Autotask connection than the pending create.', retryAt: nextCycleAt })
    } else if (route.connection.paused) {
      settle(work, { state: 'paused', reason: 'connection_paused', message: `Autotask connection ${route.connection.name} is paused.`, retryAt: nextCycleAt })
    } else if (!work.link && (work.ticket.status === 'solved' || work.ticket.status === 'closed') && !route.connection.mappings?.createForSolved) {
      settle(work, {
        state: 'not_eligible',
        reason: 'closed_when_eligible',
        message: `This ticket was already ${work.ticket.status} when it became eligible; it is not sent to Autotask.`,
        retryAt: null,
      })
    } else {
      const group = byConnection.get(route.connection) ?? []
      group.push({ work, route })
      byConnection.set(route.connection, group)
    }
  }

  for (const [connection, group] of byConnection) await createForConnection(context, connection, group)
}

/**
 * The agent is shown account names, not ids: one name lookup per connection for all the ambiguous
 * routes of this pass. Without an answer the candidates keep their ids only.
 */
async function nameAmbiguousCandidates(context: SyncContext<unknown>, routes: Map<string, Route>): Promise<void> {
  const candidates = [...routes.values()].flatMap((route) => (route.kind === 'ambiguous' ? route.candidates : []))
  for (const connection of context.connections) {
    const mine = candidates.filter((candidate) => candidate.connectionName === connection.name)
    if (mine.length === 0 || !connection.ready) continue
    try {
      const names = await connection.gateway.accountNames([...new Set(mine.map((candidate) => candidate.autotaskAccountId))])
      for (const candidate of mine) candidate.accountName = names.get(candidate.autotaskAccountId) ?? null
    } catch (error) {
      context.log.warn({ err: error, connection: connection.name }, 'account names of ambiguous routes could not be read')
    }
  }
}

async function recoverPendingLinks(context: SyncContext<TicketLinkStore>, items: TicketWork[]): Promise<void> {
  const pending = items.filter((work) => work.link?.state === 'pending' && work.link.autotaskTicketId === null)
  for (const connection of context.connections) {
    const mine = pending.filter((work) => work.link!.connectionId === connection.id)
    if (mine.length === 0) continue
    try {
      const found = new Map(
        (await connection.gateway.findTicketsByExternalIds(mine.map((work) => work.link!.externalId))).map((ticket) => [ticket.externalId, ticket]),
      )
      for (const work of mine) {
        const ticket = found.get(work.link!.externalId)
        if (!ticket) continue
        // The create happened in an interrupted pass: what Autotask holds and today's Zendesk status
        // become the baseline, as they would have at creation.
        const synced = {
          title: ticket.title,
          priority: ticket.priority,
          status: ticket.status,
          zendeskStatus: work.ticket.status === 'deleted' ? undefined : work.ticket.status,
          accountId: ticket.accountId,
          installedProductId: ticket.installedProductId ?? undefined,
          clusterId: work.ticket.clusterId ? normalizeClusterId(work.ticket.clusterId) : undefined,
          autotaskDescription: ticket.description,
        }
        const accountNames = await connection.gateway.accountNames([ticket.accountId])
        const snapshot = buildAutotaskSnapshot(
          ticket,
          connection.picklists,
          accountNames.get(ticket.accountId) ?? null,
          connection.gateway.ticketUrl(ticket.id),
        )
        await context.store.completeLink(work.link!.id, { autotaskTicketId: ticket.id, ticketNumber: ticket.ticketNumber, synced, snapshot })
        work.link = { ...work.link!, autotaskTicketId: ticket.id, autotaskTicketNumber: ticket.ticketNumber, state: 'linked', synced }
        work.synced = synced
        work.autotaskTicket = ticket
        context.log.info({ ticketId: work.ticket.id, autotaskTicketId: ticket.id }, 'found the Autotask ticket of an interrupted create')
      }
    } catch (error) {
      for (const work of mine) {
        settle(work, {
          state: 'error',
          message: `Autotask could not be searched for an interrupted create: ${messageOf(error)}`,
          retryAt: retryAt(context.now(), error) ?? context.now(),
        })
      }
    }
  }
}

async function createForConnection(
  context: SyncContext<TicketLinkStore & TicketStateStore & SyncBookkeepingStore>,
  connection: ConnectionContext,
  group: { work: TicketWork; route: Extract<Route, { kind: 'routed' }> }[],
): Promise<void> {
  const mappings = connection.mappings!
  const now = context.now()
  // 1. The intent, committed before any remote call: a second worker or a retry finds this row.
  const fresh = group.filter(({ work }) => !work.link)
  const inserted = await context.store.insertPendingLinks(
    fresh.map(({ work }) => ({
      zendeskAccountId: context.account.id,
      connectionId: connection.id,
      zendeskTicketId: work.ticket.id,
      externalId: externalIdFor(context.account.id, work.ticket.id),
    })),
  )
  const byTicket = new Map(group.map((entry) => [entry.work.ticket.id, entry]))
  for (const link of inserted) {
    const entry = byTicket.get(link.zendeskTicketId)
    if (entry) entry.work.link = link
  }
  const ready = group.filter(({ work }) => work.link)
  for (const { work } of group) {
    if (!work.link) settle(work, { state: 'pending', message: 'Another worker is creating this ticket.', retryAt: new Date(now.getTime() + 30_000) })
  }
  if (ready.length === 0) return

  const followUpNumbers = await followUpTicketNumbers(
    context,
    ready.map(({ work }) => work),
  )
  await readMissingComments(
    context.zendesk,
    ready.map(({ work }) => work),
  )
  const drafts: NewAutotaskTicket[] = []
  for (const { work, route } of ready) {
    work.comments ??= await context.zendesk.listComments(work.ticket.id)
    const first = work.comments[0]
    const followUp = work.ticket.followUpOf !== null ? followUpNumbers.get(work.ticket.followUpOf) : undefined
    const body = `${followUp ? `Follow-up of ${followUp}\n\n` : ''}${first ? commentText(first) : ''}`
    const mapped = mappedValues(work.ticket, mappings)
    const dueHours = mappings.dueHours[work.ticket.priority ?? 'normal']
    drafts.push({
      externalId: work.link!.externalId,
      title: mapped.title,
      description: splitIntoParts(body || '(no description)', TICKET_DESCRIPTION_MAX)[0]!,
      accountId: route.autotaskAccountId,
      installedProductId: route.installedProductId,
      status: AUTOTASK_STATUS_NEW,
      priority: mapped.priority,
      queueId: mappings.queueId,
      sourceId: mappings.sourceId,
      ticketTypeId: mappings.ticketTypeId,
      dueDateTime: new Date(now.getTime() + dueHours * 3_600_000),
    })
  }

  if (
    !(await stillHoldsTickets(
      context,
      ready.map(({ work }) => work.ticket.id),
    ))
  ) {
    for (const { work } of ready) settle(work, { state: 'pending', message: 'The sync lease expired; retrying.', retryAt: now })
    return
  }
  let results
  try {
    results = await connection.gateway.createTickets(drafts)
  } catch (error) {
    // The whole call failed (timeout, outage): the pending links stay, and the next attempt looks
    // each ticket up by ExternalID before creating it again.
    for (const { work } of ready) await reportTicketFailure(context, connection, work, error, { ...CREATE_FAILURE, fallbackCode: 'autotask_create_failed' })
    return
  }

  const created = results.flatMap((result) => (result.ok ? [result.value] : []))
  const accountNames =
    created.length > 0 ? await connection.gateway.accountNames([...new Set(created.map((ticket) => ticket.accountId))]) : new Map<number, string>()
  const completions: Parameters<SyncContext['store']['completeLinks']>[0] = []
  const refused: { work: TicketWork; error: IntegrationError }[] = []
  for (const [index, result] of results.entries()) {
    const { work, route } = ready[index]!
    if (!result.ok) {
      refused.push({ work, error: result.error })
      continue
    }
    // What Autotask kept, not what was sent (it trims, normalises and defaults): the gateway
    // returns each created ticket as read back.
    const stored = result.value
    const synced = {
      title: stored.title,
      priority: stored.priority,
      status: stored.status,
      zendeskStatus: work.ticket.status === 'deleted' ? undefined : work.ticket.status,
      accountId: route.autotaskAccountId,
      installedProductId: route.installedProductId ?? undefined,
      clusterId: normalizeClusterId(work.ticket.clusterId!),
      autotaskDescription: stored.description,
    }
    const snapshot = buildAutotaskSnapshot(stored, connection.picklists, accountNames.get(stored.accountId) ?? null, connection.gateway.ticketUrl(stored.id))
    completions.push({ linkId: work.link!.id, autotaskTicketId: stored.id, ticketNumber: stored.ticketNumber, synced, snapshot })
    work.link = { ...work.link!, autotaskTicketId: stored.id, autotaskTicketNumber: stored.ticketNumber, state: 'linked', synced }
    work.synced = synced
    work.autotaskTicket = stored
    work.notes = []
    work.notesComplete = true
    context.counts.ticketsCreated += 1
  }
  // The create call's links completed in one statement (a crash before it: the pending links are
  // found again by ExternalID, as after any interrupted create).
  await context.store.completeLinks(completions)
  for (const { work, error } of refused) {
    if (!error.retryable) await context.store.deletePendingLink(work.link!.id)
    await reportTicketFailure(context, connection, work, error, { ...CREATE_FAILURE, fallbackCode: 'autotask_create_rejected' })
  }
}

async function followUpTicketNumbers(context: SyncContext<TicketLinkStore>, items: TicketWork[]): Promise<Map<number, string>> {
  const sources = items.map((work) => work.ticket.followUpOf).filter((id): id is number => id !== null)
  if (sources.length === 0) return new Map()
  const links = await context.store.getLinks(context.account.id, sources)
  return new Map([...links].flatMap(([id, link]) => (link.autotaskTicketNumber ? [[id, link.autotaskTicketNumber] as const] : [])))
}
