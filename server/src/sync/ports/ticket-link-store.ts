/** The mapped values last written to Autotask and the Zendesk values they came from: the base for change detection. */
export interface SyncedValues {
  title?: string
  priority?: number
  status?: number
  accountId?: number
  installedProductId?: number
  zendeskStatus?: string
  clusterId?: string
  /** The Autotask description as last read, to notice technicians' edits. */
  autotaskDescription?: string | null
}

/** What the sidebar shows of the Autotask ticket, stored so it never has to ask Autotask. */
export interface AutotaskSnapshot {
  ticketNumber: string
  url: string
  title: string
  status: { id: number; label: string }
  priority: { id: number; label: string }
  accountName: string | null
  queue: { id: number; label: string } | null
  dueDateTime: string | null
}

export type LinkState = 'pending' | 'linked' | 'broken' | 'closed'

export interface TicketLink {
  id: number
  zendeskAccountId: number
  connectionId: number
  zendeskTicketId: number
  autotaskTicketId: number | null
  autotaskTicketNumber: string | null
  externalId: string
  state: LinkState
  synced: SyncedValues
  lastSyncedAt: Date | null
  /** What PSA Link last wrote to the Zendesk ticket's fields (and tagged it for); null: nothing. */
  shownInZendesk: ShownInZendesk | null
  /** The Zendesk ticket's updated time after PSA Link's own update in this pass (not stored). */
  zendeskOwnUpdateAt?: Date
  /**
   * The Zendesk ticket's updated time after PSA Link's last own update of it, in any pass (stored):
   * an exported ticket updated later was changed by someone else. To the second, so for ordering
   * work only (see sync/order-by-likely-work.ts), never for skipping it.
   */
  zendeskWrittenAt: Date | null
}

/** The linked Autotask ticket as Zendesk views, triggers and reports see it (sync/README.md R20). */
export interface ShownInZendesk {
  ticketNumber: string
  /** The status's label in the connection's picklist, as people read it in Autotask. */
  status: string
}

export interface NewTicketLink {
  zendeskAccountId: number
  connectionId: number
  zendeskTicketId: number
  externalId: string
}

/** A pending link's Autotask ticket, once created (or found after an interrupted create). */
export interface LinkCompletion {
  autotaskTicketId: number
  ticketNumber: string
  synced: SyncedValues
  snapshot: AutotaskSnapshot
}

export interface LinkSyncUpdate {
  synced: SyncedValues
  snapshot?: AutotaskSnapshot
  state?: LinkState
  lastError?: string | null
  /** Stored as the link's zendeskWrittenAt when given (PSA Link updated the Zendesk ticket in this pass). */
  zendeskWrittenAt?: Date
}

/** Each Zendesk ticket's link to its Autotask ticket: created as an intent, completed, moved on merges. */
export interface TicketLinkStore {
  getLinks(accountId: number, ticketIds: number[]): Promise<Map<number, TicketLink>>
  findLinksByAutotaskIds(connectionId: number, autotaskTicketIds: number[]): Promise<TicketLink[]>
  /** Inserts intents to create; a link that already exists for the ticket is left alone and not returned. */
  insertPendingLinks(links: NewTicketLink[]): Promise<TicketLink[]>
  completeLink(linkId: number, result: LinkCompletion): Promise<void>
  /** completeLink for a whole create call's tickets, in one statement. */
  completeLinks(results: Array<LinkCompletion & { linkId: number }>): Promise<void>
  deletePendingLink(linkId: number): Promise<void>
  /** Moves a link to another Zendesk ticket (a merge); false when that ticket has a link already. */
  moveLinkToZendeskTicket(linkId: number, zendeskTicketId: number): Promise<boolean>
  /** Moves a link to another Autotask ticket (a merge); false when that ticket has a link already. */
  moveLinkToAutotaskTicket(linkId: number, autotask: { ticketId: number; ticketNumber: string }): Promise<boolean>
  saveLinkSync(linkId: number, update: LinkSyncUpdate): Promise<void>
  /** saveLinkSync for a whole group of tickets, in one statement. */
  saveLinkSyncs(updates: Array<LinkSyncUpdate & { linkId: number }>): Promise<void>
  /** Records what PSA Link last wrote to the Zendesk ticket's link fields (null: nothing, no tag). */
  saveShownInZendesk(linkId: number, shown: ShownInZendesk | null): Promise<void>
}
