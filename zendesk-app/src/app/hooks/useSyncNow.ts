import type { TicketStateResponse } from '@psa-link/shared'
import { useCallback, useContext, useEffect, useRef, useState } from 'react'
import { BackendError } from '../../lib/backend'
import type { PsaLinkBackend } from '../../lib/backend'
import { SidebarOptionsContext } from '../sidebar-options'

export type SyncPhase = 'idle' | 'running' | 'queued' | 'done' | 'still_running' | 'failed'

export interface SyncNowView {
  phase: SyncPhase
  /** The backend's words when the sync could not be started. */
  failure: string | null
  isBusy: boolean
  start(): void
}

function describe(reason: unknown): string {
  if (reason instanceof BackendError) return reason.message || `HTTP ${reason.status}`
  return reason instanceof Error ? reason.message : String(reason)
}

/** Sync now: POST, then poll the job while the backend says `queued`, then show the new state. */
export function useSyncNow(backend: PsaLinkBackend, onTicket: (ticket: TicketStateResponse) => void): SyncNowView {
  const { syncPollIntervalMs, syncPollLimit } = useContext(SidebarOptionsContext)
  const [phase, setPhase] = useState<SyncPhase>('idle')
  const [failure, setFailure] = useState<string | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const mounted = useRef(true)

  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
      if (timer.current) clearTimeout(timer.current)
    }
  }, [])

  const isBusy = phase === 'running' || phase === 'queued'

  const start = useCallback(() => {
    if (isBusy) return
    setPhase('running')
    setFailure(null)

    const fail = (reason: unknown) => {
      if (!mounted.current) return
      setFailure(describe(reason))
      setPhase('failed')
    }
    const poll = (jobId: string, remaining: number) => {
      if (remaining <= 0) {
        setPhase('still_running')
        return
      }
      timer.current = setTimeout(() => {
        backend.getSyncJob(jobId).then((answer) => {
          if (!mounted.current) return
          if (answer.status === 'done') {
            onTicket(answer.ticket)
            setPhase('done')
          } else {
            poll(jobId, remaining - 1)
          }
        }, fail)
      }, syncPollIntervalMs)
    }

    backend.syncNow().then((answer) => {
      if (!mounted.current) return
      onTicket(answer.ticket)
      if (answer.status === 'done' || !answer.jobId) {
        setPhase('done')
      } else {
        setPhase('queued')
        poll(answer.jobId, syncPollLimit)
      }
    }, fail)
  }, [backend, onTicket, isBusy, syncPollIntervalMs, syncPollLimit])

  return { phase, failure, isBusy, start }
}
