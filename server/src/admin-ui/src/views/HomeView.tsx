import { Anchor } from '@zendeskgarden/react-buttons'
import { useEffect, useState } from 'react'
import { get } from '../api'
import type { Home } from '@psa-link/shared/admin-api'

const Tile = ({ label, value, tone, href }: { label: string; value: string; tone: 'good' | 'bad' | 'neutral'; href: string }) => (
  <a
    href={href}
    style={{
      display: 'block',
      padding: 16,
      borderRadius: 6,
      textDecoration: 'none',
      border: `2px solid ${tone === 'bad' ? '#cc3340' : tone === 'good' ? '#038153' : '#68737d'}`,
      color: '#2f3941',
      minWidth: 180,
    }}
  >
    <div style={{ fontSize: 13 }}>{label}</div>
    <div style={{ fontSize: 22, fontWeight: 600, color: tone === 'bad' ? '#cc3340' : tone === 'good' ? '#037f52' : '#2f3941' }}>{value}</div>
  </a>
)

/** The account at a glance: is anything wrong, what waits for a person, and what setup is left. */
export function HomeView() {
  const [home, setHome] = useState<Home | null>(null)
  useEffect(() => {
    void get<Home>('/home').then(setHome)
  }, [])
  if (!home) return <p>Loading…</p>
  const { health } = home
  const failing = health.failingConnections.length
  const left = home.steps.filter((step) => !step.done).length
  return (
    <div>
      <h1>Home</h1>
      <section aria-label="Health" style={{ display: 'flex', gap: 12, flexWrap: 'wrap', marginBottom: 24 }}>
        <Tile
          label="Autotask connections"
          value={
            failing > 0
              ? `${failing} failing`
              : `${health.connections.filter((connection) => connection.status === 'ready').length} of ${health.connections.length} ready`
          }
          tone={failing > 0 ? 'bad' : health.connections.length > 0 ? 'good' : 'neutral'}
          href="#/connections"
        />
        <Tile
          label="Last cycle"
          value={
            health.lastCycle
              ? `${health.lastCycle.status}${health.lastCycle.finishedAt ? `, ${new Date(health.lastCycle.finishedAt).toLocaleTimeString()}` : ''}`
              : 'none yet'
          }
          tone={health.lastCycle?.status === 'succeeded' ? 'good' : health.lastCycle ? 'bad' : 'neutral'}
          href="#/monitor"
        />
        <Tile
          label="Needs action"
          value={`${health.clusterIdsWaiting} Cluster ID(s)`}
          tone={health.clusterIdsWaiting > 0 ? 'bad' : 'good'}
          href="#/needs-action"
        />
        <Tile label="Error inbox" value={`${health.openProblems} problem(s)`} tone={health.openProblems > 0 ? 'bad' : 'good'} href="#/inbox" />
      </section>
      <h2 style={{ fontSize: 18 }}>Setup {left === 0 ? '— complete' : `— ${left} step(s) left`}</h2>
      <ol style={{ paddingLeft: 20 }}>
        {home.steps.map((step) => (
          <li key={step.key} data-step={step.key} data-done={step.done} style={{ marginBottom: 8 }}>
            <span aria-hidden="true" style={{ color: step.done ? '#037f52' : '#cc3340', fontWeight: 700 }}>
              {step.done ? '✓ ' : '○ '}
            </span>
            <strong>{step.title}</strong> — {step.done ? 'done' : 'to do'}. {step.detail} <Anchor href={step.href}>{step.done ? 'Review' : 'Do it'}</Anchor>
          </li>
        ))}
      </ol>
    </div>
  )
}
