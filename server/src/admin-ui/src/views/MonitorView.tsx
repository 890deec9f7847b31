import { Body, Cell, Head, HeaderCell, HeaderRow, Row, Table } from '@zendeskgarden/react-tables'
import { useEffect, useState } from 'react'
import { get } from '../api'
import { Meter } from '../components/Meter'
import { RunsChart } from '../components/RunsChart'
import { Section } from '../components/forms'
import type { Monitor, Run } from '@psa-link/shared/admin-api'
import { BackfillProgress } from './BackfillView'

const seconds = (ms: number | null | undefined) => (ms === null || ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`)

export function MonitorView() {
  const [monitor, setMonitor] = useState<Monitor | null>(null)
  useEffect(() => {
    const load = () => get<Monitor>('/monitor').then(setMonitor, () => undefined)
    void load()
    const timer = window.setInterval(load, 3000)
    return () => window.clearInterval(timer)
  }, [])
  if (!monitor) return <p>Loading…</p>
  return (
    <div>
      <h1>Monitor</h1>
      <Section title="API budgets">
        {monitor.budget.autotask.map((entry) => (
          <Meter
            key={entry.connectionId}
            label={`Autotask · ${entry.name} · rolling hour`}
            used={entry.requestsLastHour}
            limit={entry.limit}
            unit="requests (PSA Link's share of 10,000)"
          />
        ))}
        {monitor.budget.zendesk ? (
          <Meter
            label="Zendesk · per minute"
            used={monitor.budget.zendesk.perMinute}
            limit={monitor.budget.zendesk.limitPerMinute}
            unit={`requests per minute (average of the last ${monitor.budget.zendesk.windowMinutes} minutes)`}
          />
        ) : null}
      </Section>
      <Section title="Running now">
        {monitor.running.length === 0 ? (
          <p>Nothing is running.</p>
        ) : (
          monitor.running.map((run) => (
            <p key={run.id}>
              {run.kind} ({run.trigger}) running for {seconds(run.elapsedMs)} — {runProgress(run)}
            </p>
          ))
        )}
        {monitor.backfill && !['succeeded', 'failed'].includes(monitor.backfill.state) ? <BackfillProgress backfill={monitor.backfill} /> : null}
      </Section>
      <Section title="Cycle history">
        <RunsChart runs={monitor.runs} />
        <Table size="small" style={{ marginTop: 12 }}>
          <Head>
            <HeaderRow>
              <HeaderCell>Started</HeaderCell>
              <HeaderCell>Kind</HeaderCell>
              <HeaderCell>Status</HeaderCell>
              <HeaderCell>Duration</HeaderCell>
              <HeaderCell>Created / updated / notes / comments / failed</HeaderCell>
              <HeaderCell>Requests (Autotask / Zendesk)</HeaderCell>
            </HeaderRow>
          </Head>
          <Body>
            {monitor.runs.slice(0, 20).map((run) => (
              <Row key={run.id}>
                <Cell>{new Date(run.startedAt).toLocaleString()}</Cell>
                <Cell>
                  {run.kind} · {run.trigger}
                </Cell>
                <Cell>{run.status}</Cell>
                <Cell>{seconds(run.durationMs)}</Cell>
                <Cell>
                  {run.counts.ticketsCreated ?? 0} / {run.counts.ticketsUpdated ?? 0} / {run.counts.notesToAutotask ?? 0} / {run.counts.commentsToZendesk ?? 0}{' '}
                  / {run.counts.failed ?? 0}
                </Cell>
                <Cell>
                  {run.apiUsage.autotask ?? 0} / {run.apiUsage.zendesk ?? 0}
                </Cell>
              </Row>
            ))}
          </Body>
        </Table>
      </Section>
    </div>
  )
}

/** What a running run has done so far, from the counts the engine writes every few seconds. */
function runProgress(run: Run): string {
  const counts = run.counts
  const seen = counts.ticketsSeen ? `${counts.ticketsSeen} Zendesk tickets looked at, ` : ''
  return `${seen}${counts.ticketsCreated ?? 0} tickets created, ${counts.notesToAutotask ?? 0} notes to Autotask, ${counts.commentsToZendesk ?? 0} comments to Zendesk, ${counts.failed ?? 0} failed`
}
