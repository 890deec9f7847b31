import type { TicketStateResponse } from '@psa-link/shared'
import { useCallback, useContext, useEffect, useRef, useState } from 'react'
import { BackendError } from '../../lib/backend'
import type { BackendErrorKind, PsaLinkBackend } from '../../lib/backend'
import { SidebarOptionsContext } from '../sidebar-options'

export type SyncPhase = 'idle' | 'running' | 'queued' | 'done' | 'still_running' | 'failed'

/** Why a sync started: the agent's click, or a save that changed the Cluster ID (to this value). */
export type SyncTrigger = { kind: 'click' } | { kind: 'cluster_changed'; clusterId: string | null }

export interface SyncNowView {
  phase: SyncPhase
  trigger: SyncTrigger
  /** The ticket as it was when the sync started: "Linked to T…" needs to know it was not before. */
  before: TicketStateResponse | null
  /** The request itself failed (the sync's own failures are in the ticket's state). */
  failure: BackendErrorKind | null
  isBusy: boolean
  start(trigger?: SyncTrigger): void
}

function kindOf(reason: unknown): BackendErrorKind {
  return reason instanceof BackendError ? reason.kind : 'failed'
}

/** Sync now: POST, then poll the job while the backend says `queued`, then show the new state. */
export function useSyncNow(backend: PsaLinkBackend, current: TicketStateResponse | null, onTicket: (ticket: TicketStateResponse) => void): SyncNowView {
  const { syncPollIntervalMs, syncPollLimit } = useContext(SidebarOptionsContext)
  const [phase, setPhase] = useState<SyncPhase>('idle')
  const [trigger, setTrigger] = useState<SyncTrigger>({ kind: 'click' })
  const [before, setBefore] = useState<TicketStateResponse | null>(null)
  const [failure, setFailure] = useState<BackendErrorKind | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const mounted = useRef(true)
  const busy = useRef(false)
  const latest = useRef(current)
  latest.current = current

  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
      if (timer.current) clearTimeout(timer.current)
    }
  }, [])

  const start = useCallback(
    (why: SyncTrigger = { kind: 'click' }) => {
      // A click while this sidebar's sync runs joins it (the backend joins other agents' clicks too).
      if (busy.current) return
      busy.current = true
      setPhase('running')
      setTrigger(why)
      setBefore(latest.current)
      setFailure(null)

      const finish = (next: SyncPhase) => {
        busy.current = false
        if (mounted.current) setPhase(next)
      }
      const fail = (reason: unknown) => {
        if (mounted.current) setFailure(kindOf(reason))
        finish('failed')
      }
      const poll = (jobId: string, remaining: number) => {
        if (remaining <= 0) return finish('still_running')
        timer.current = setTimeout(() => {
          backend.getSyncJob(jobId).then((answer) => {
            if (!mounted.current) return
            onTicket(answer.ticket)
            if (answer.status === 'done') finish('done')
            else poll(jobId, remaining - 1)
          }, fail)
        }, syncPollIntervalMs)
      }

      backend.syncNow().then((answer) => {
        if (!mounted.current) return
        onTicket(answer.ticket)
        if (answer.status === 'done' || !answer.jobId) {
          finish('done')
        } else {
          setPhase('queued')
          poll(answer.jobId, syncPollLimit)
        }
      }, fail)
    },
    [backend, onTicket, syncPollIntervalMs, syncPollLimit],
  )

  return { phase, trigger, before, failure, isBusy: phase === 'running' || phase === 'queued', start }
}
