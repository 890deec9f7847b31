import { Alert, Title } from '@zendeskgarden/react-notifications'
import { useEffect, useState } from 'react'
import { get } from '../api'
import type { Attention } from '@psa-link/shared/admin-api'

const POLL_MS = 30_000

/** What needs the admin now, read again every half minute so trouble shows without a reload. */
export function useAttention(enabled: boolean): Attention | null {
  const [attention, setAttention] = useState<Attention | null>(null)
  useEffect(() => {
    if (!enabled) return undefined
    let stopped = false
    const load = () =>
      get<Attention>('/attention')
        .then((loaded) => {
          if (!stopped) setAttention(loaded)
        })
        .catch(() => undefined)
    void load()
    const timer = setInterval(() => void load(), POLL_MS)
    return () => {
      stopped = true
      clearInterval(timer)
    }
  }, [enabled])
  return attention
}

/** One banner per failing connection: since when, Autotask's last words, and where to look. */
export function AttentionBanner({ attention }: { attention: Attention | null }) {
  if (!attention || attention.failingConnections.length === 0) return null
  return (
    <div style={{ marginBottom: 20 }}>
      {attention.failingConnections.map((connection) => (
        <Alert key={connection.id} type="error" role="alert" style={{ marginBottom: 8 }}>
          <Title>Autotask connection “{connection.name}” is failing: nothing syncs with it</Title>
          Its Autotask could not be read in the last {connection.failedCycles} cycles, since {new Date(connection.failingSince).toLocaleString()}.
          {connection.lastError ? ` Last attempt: ${connection.lastError.replace(/\.$/, '')}.` : ''} PSA Link keeps trying every cycle and catches up once
          Autotask answers; check the <a href={`#/connections/${connection.id}`}>connection’s credentials and zone</a>, or Autotask’s status page.
        </Alert>
      ))}
    </div>
  )
}
