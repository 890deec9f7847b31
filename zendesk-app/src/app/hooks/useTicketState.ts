import type { SyncedNote, TicketStateResponse } from '@psa-link/shared'
import { useCallback, useEffect, useRef, useState } from 'react'
import { BackendError } from '../../lib/backend'
import type { PsaLinkBackend } from '../../lib/backend'

export interface NotesPage {
  items: SyncedNote[]
  nextCursor: string | null
  isLoadingMore: boolean
  loadMoreFailed: boolean
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

const emptyNotes: NotesPage = { items: [], nextCursor: null, isLoadingMore: false, loadMoreFailed: false }

function asBackendError(reason: unknown): BackendError {
  return reason instanceof BackendError ? reason : new BackendError('failed', 0, String(reason))
}

export function useTicketState(backend: PsaLinkBackend): TicketStateView {
  const [data, setData] = useState<TicketStateResponse | null>(null)
  const [notes, setNotes] = useState<NotesPage>(emptyNotes)
  const [error, setError] = useState<BackendError | null>(null)
  const [isLoading, setIsLoading] = useState(true)
  // Answers can overtake each other (a save right after Sync now): only the newest may land.
  const generation = useRef(0)

  const show = useCallback((ticket: TicketStateResponse) => {
    generation.current += 1
    setData(ticket)
    setNotes({ ...emptyNotes, items: ticket.notes.items, nextCursor: ticket.notes.nextCursor })
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
          return { items: [...current.items, ...older], nextCursor: page.notes.nextCursor, isLoadingMore: false, loadMoreFailed: false }
        })
      },
      () => {
        if (mine === generation.current) setNotes((current) => ({ ...current, isLoadingMore: false, loadMoreFailed: true }))
      },
    )
  }, [backend, notes.nextCursor, notes.isLoadingMore])

  return { data, notes, error, isLoading, refresh, show, loadMoreNotes }
}
