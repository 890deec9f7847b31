import type { SyncedNote, TicketStateResponse } from '@psa-link/shared'
import { useCallback, useContext, useEffect, useRef, useState } from 'react'
import { BackendError } from '../../lib/backend'
import type { PsaLinkBackend } from '../../lib/backend'
import { SidebarOptionsContext } from '../sidebar-options'

export interface NotesPage {
  items: SyncedNote[]
  nextCursor: string | null
  isLoadingMore: boolean
  loadMoreFailed: boolean
  /** The first note of the page "Show more" brought in last: focus moves there. */
  firstOfLastPage: string | null
}

export interface TicketStateView {
  data: TicketStateResponse | null
  notes: NotesPage
  error: BackendError | null
  isLoading: boolean
  /** Reloads from the backend; the current view stays on screen meanwhile. */
  refresh(): void
  /** Shows a state the backend already sent (e.g. with a Sync now answer). */
  show(ticket: TicketStateResponse): void
  loadMoreNotes(): void
}

const emptyNotes: NotesPage = { items: [], nextCursor: null, isLoadingMore: false, loadMoreFailed: false, firstOfLastPage: null }

function asBackendError(reason: unknown): BackendError {
  return reason instanceof BackendError ? reason : new BackendError('failed', 0, String(reason))
}

/**
 * A fresh first page on top of what the agent has already paged through: new notes appear at the
 * top without a reload, and the older pages the agent opened stay open.
 */
function mergeNotes(current: NotesPage, fresh: TicketStateResponse['notes']): NotesPage {
  if (current.items.length <= fresh.items.length) return { ...emptyNotes, items: fresh.items, nextCursor: fresh.nextCursor }
  const freshIds = new Set(fresh.items.map((note) => note.id))
  const older = current.items.filter((note) => !freshIds.has(note.id) && note.createdAt <= (fresh.items[fresh.items.length - 1]?.createdAt ?? ''))
  return { ...current, items: [...fresh.items, ...older], firstOfLastPage: null }
}

/**
 * The ticket's state, kept current: re-read every few seconds while a sync of it is pending or
 * running, about once a minute while the sidebar is visible, and at once when it becomes visible.
 */
export function useTicketState(backend: PsaLinkBackend): TicketStateView {
  const { busyRefreshMs, idleRefreshMs } = useContext(SidebarOptionsContext)
  const [data, setData] = useState<TicketStateResponse | null>(null)
  const [notes, setNotes] = useState<NotesPage>(emptyNotes)
  const [error, setError] = useState<BackendError | null>(null)
  const [isLoading, setIsLoading] = useState(true)
  // Answers can overtake each other (a save right after Sync now): only the newest may land.
  const generation = useRef(0)

  const show = useCallback((ticket: TicketStateResponse) => {
    generation.current += 1
    setData(ticket)
    setNotes((current) => mergeNotes(current, ticket.notes))
    setError(null)
    setIsLoading(false)
  }, [])

  const refresh = useCallback(() => {
    const mine = ++generation.current
    setIsLoading(true)
    backend.getTicketState().then(
      (ticket) => {
        if (mine === generation.current) show(ticket)
      },
      (reason: unknown) => {
        if (mine !== generation.current) return
        setError(asBackendError(reason))
        setIsLoading(false)
      },
    )
  }, [backend, show])

  useEffect(() => {
    refresh()
  }, [refresh])

  const busy = data !== null && (data.state === 'pending' || data.syncing)
  useEffect(() => {
    if (isLoading || (!data && !error)) return
    const timer = setTimeout(
      () => {
        if (busy || document.visibilityState !== 'hidden') refresh()
      },
      busy ? busyRefreshMs : idleRefreshMs,
    )
    return () => clearTimeout(timer)
  }, [data, error, isLoading, busy, busyRefreshMs, idleRefreshMs, refresh])

  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') refresh()
    }
    document.addEventListener('visibilitychange', onVisible)
    return () => document.removeEventListener('visibilitychange', onVisible)
  }, [refresh])

  const loadMoreNotes = useCallback(() => {
    const cursor = notes.nextCursor
    if (!cursor || notes.isLoadingMore) return
    const mine = generation.current
    setNotes((page) => ({ ...page, isLoadingMore: true, loadMoreFailed: false }))
    backend.getTicketState(cursor).then(
      (page) => {
        if (mine !== generation.current) return
        setNotes((current) => {
          const known = new Set(current.items.map((note) => note.id))
          const older = page.notes.items.filter((note) => !known.has(note.id))
          return {
            items: [...current.items, ...older],
            nextCursor: page.notes.nextCursor,
            isLoadingMore: false,
            loadMoreFailed: false,
            firstOfLastPage: older[0]?.id ?? null,
          }
        })
      },
      () => {
        if (mine === generation.current) setNotes((current) => ({ ...current, isLoadingMore: false, loadMoreFailed: true }))
      },
    )
  }, [backend, notes.nextCursor, notes.isLoadingMore])

  return { data, notes, error, isLoading, refresh, show, loadMoreNotes }
}
