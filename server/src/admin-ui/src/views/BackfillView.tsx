import { Button } from '@zendeskgarden/react-buttons'
import { Progress } from '@zendeskgarden/react-loaders'
import { Well, Title } from '@zendeskgarden/react-notifications'
import { Body, Cell, Head, HeaderCell, HeaderRow, Row as TableRow, Table } from '@zendeskgarden/react-tables'
import { useEffect, useState } from 'react'
import { get, post } from '../api'
import { CheckField, FormError, Row, Section, Stack, TextField, useSubmit } from '../components/forms'
import type { Backfill, BackfillEstimate as Estimate, DryRun } from '@psa-link/shared/admin-api'

const DRY_RUN_POLL_MS = 500

/** Starts a dry run and follows it until it ends, reporting each step; throws with its reason when it fails. */
async function countBackfill(input: { startDate: string; includeSolved: boolean }, onProgress: (dryRun: DryRun) => void): Promise<Estimate> {
  let dryRun = await post<DryRun>('/backfill/dry-run', input)
  for (;;) {
    onProgress(dryRun)
    if (dryRun.state === 'succeeded' && dryRun.estimate) return dryRun.estimate
    if (dryRun.state === 'failed') throw new Error(`The dry run failed: ${dryRun.error ?? 'unknown reason'}`)
    await new Promise((resolve) => window.setTimeout(resolve, DRY_RUN_POLL_MS))
    dryRun = await get<DryRun>(`/backfill/dry-run/${dryRun.id}`)
  }
}

function eta(backfill: Backfill): string {
  const total = backfill.totalTickets
  const done = backfill.progress.ticketsDone
  if (!total || !backfill.startedAt || done === 0) return 'estimating…'
  if (done >= total) return 'done'
  const elapsed = Date.now() - new Date(backfill.startedAt).getTime()
  const remaining = (elapsed / done) * (total - done)
  return remaining < 60_000 ? `about ${Math.ceil(remaining / 1000)} s left` : `about ${Math.ceil(remaining / 60_000)} min left`
}

export function BackfillProgress({ backfill }: { backfill: Backfill }) {
  const total = backfill.totalTickets ?? 0
  const percent = total > 0 ? Math.min(100, (backfill.progress.ticketsDone / total) * 100) : backfill.state === 'succeeded' ? 100 : 0
  return (
    <div data-testid="backfill-progress" data-state={backfill.state} style={{ maxWidth: 560 }}>
      <p>
        Backfill #{backfill.id} from {new Date(backfill.startAt).toLocaleDateString()}: <strong>{backfill.state.replace('_', ' ')}</strong> ·{' '}
        {backfill.progress.ticketsDone} of {backfill.totalTickets ?? '?'} tickets · {eta(backfill)}
      </p>
      <Progress value={percent} aria-label="Backfill progress" />
      <p>
        {backfill.progress.ticketsCreated} Autotask tickets and {backfill.progress.notesCreated} notes created · {backfill.progress.ticketsFailed} not created
        (see Needs action, the error inbox and the timelines) · {backfill.autotaskRequests} Autotask requests
        {backfill.estimatedRequests !== null ? ` (estimated ${backfill.estimatedRequests})` : ''}
      </p>
      {backfill.error ? (
        <p>
          {backfill.state === 'waiting_budget' ? `Waiting until ${backfill.resumeAt ? new Date(backfill.resumeAt).toLocaleTimeString() : 'later'}: ` : ''}
          {backfill.error}
        </p>
      ) : null}
    </div>
  )
}

export function BackfillView() {
  const [startDate, setStartDate] = useState(new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10))
  const [includeSolved, setIncludeSolved] = useState(false)
  const [estimate, setEstimate] = useState<Estimate | null>(null)
  const [counting, setCounting] = useState<DryRun | null>(null)
  const [backfills, setBackfills] = useState<Backfill[]>([])
  const dryRun = useSubmit()
  const run = useSubmit()
  const load = async () => setBackfills((await get<{ backfills: Backfill[] }>('/backfill')).backfills)
  useEffect(() => {
    void load()
    const timer = window.setInterval(() => void load(), 1000)
    return () => window.clearInterval(timer)
  }, [])
  const current = backfills[0] ?? null
  const active = current && !['succeeded', 'failed'].includes(current.state)
  return (
    <div>
      <h1>Backfill</h1>
      <p>
        Creates Autotask tickets (and their notes) for Zendesk tickets with a Cluster ID updated since a start date. It runs behind live syncs within the
        Autotask budget share, and can be paused and resumed.
      </p>
      <Section title="1. Dry run">
        <Stack>
          <Row>
            <TextField
              name="startDate"
              label="Start date"
              hint="YYYY-MM-DD"
              value={startDate}
              onChange={(value) => {
                setStartDate(value)
                setEstimate(null)
              }}
              error={dryRun.fieldErrors.startDate ?? run.fieldErrors.startDate}
            />
          </Row>
          <CheckField
            name="includeSolved"
            label="Also create tickets that are already solved or closed"
            checked={includeSolved}
            onChange={(value) => {
              setIncludeSolved(value)
              setEstimate(null)
            }}
          />
          <div>
            <Button
              disabled={dryRun.busy}
              onClick={async () => {
                setEstimate(null)
                setEstimate(await dryRun.submit(() => countBackfill({ startDate, includeSolved }, setCounting)))
                setCounting(null)
              }}
            >
              {dryRun.busy ? 'Counting…' : 'Count (dry run)'}
            </Button>
          </div>
          {counting && dryRun.busy ? (
            <p data-testid="backfill-dry-run-progress" data-state={counting.state}>
              {counting.state === 'queued'
                ? 'Waiting for a worker to start counting…'
                : `Counting: ${counting.progress.ticketsScanned} Zendesk tickets read in ${counting.progress.pages} ${counting.progress.pages === 1 ? 'page' : 'pages'} so far…`}
            </p>
          ) : null}
          {Object.keys(dryRun.fieldErrors).length === 0 ? <FormError message={dryRun.error} /> : null}
          {estimate ? (
            <Well data-testid="backfill-estimate">
              <Title>
                {estimate.routedTickets} tickets and {estimate.notes} notes would be created
              </Title>
              <p>
                About {estimate.autotaskRequests} Autotask requests ({estimate.estimatedHours < 0.1 ? 'a few minutes' : `about ${estimate.estimatedHours} h`} of
                the {estimate.hourlyLimit}-per-hour share). {estimate.unroutedTickets} tickets have a Cluster ID that Autotask does not route (they wait in
                Needs action, where you route their Cluster ID); {estimate.alreadyLinked} are already linked; {estimate.skippedSolved} solved or closed are left
                out; {estimate.withoutClusterId} have no Cluster ID.
              </p>
              {estimate.sampledTickets < estimate.routedTickets ? (
                <p>The notes are estimated from the comments of {estimate.sampledTickets} tickets picked at random; the count of tickets is exact.</p>
              ) : null}
            </Well>
          ) : null}
        </Stack>
      </Section>
      <Section title="2. Run">
        <Row>
          <Button
            isPrimary
            disabled={!estimate || Boolean(active) || run.busy}
            onClick={async () => {
              if (await run.submit(() => post('/backfill', { startDate, includeSolved, estimate }))) await load()
            }}
          >
            Start backfill
          </Button>
          {current && active ? (
            <Button
              onClick={async () => {
                await run.submit(() => post(`/backfill/${current.id}/pause`))
                await load()
              }}
            >
              Pause
            </Button>
          ) : null}
          {current && (current.state === 'paused' || current.state === 'waiting_budget') ? (
            <Button
              onClick={async () => {
                await run.submit(() => post(`/backfill/${current.id}/resume`))
                await load()
              }}
            >
              Resume
            </Button>
          ) : null}
        </Row>
        {Object.keys(run.fieldErrors).length === 0 ? <FormError message={run.error} /> : null}
        {current ? (
          <div style={{ marginTop: 16 }}>
            <BackfillProgress backfill={current} />
          </div>
        ) : null}
      </Section>
      <Section title="History">
        <Table size="small">
          <Head>
            <HeaderRow>
              <HeaderCell>#</HeaderCell>
              <HeaderCell>From</HeaderCell>
              <HeaderCell>State</HeaderCell>
              <HeaderCell>Tickets done / created / not created</HeaderCell>
              <HeaderCell>Requests</HeaderCell>
            </HeaderRow>
          </Head>
          <Body>
            {backfills.map((backfill) => (
              <TableRow key={backfill.id}>
                <Cell>{backfill.id}</Cell>
                <Cell>{new Date(backfill.startAt).toLocaleDateString()}</Cell>
                <Cell>{backfill.state}</Cell>
                <Cell>
                  {backfill.progress.ticketsDone} / {backfill.progress.ticketsCreated} / {backfill.progress.ticketsFailed}
                </Cell>
                <Cell>{backfill.autotaskRequests}</Cell>
              </TableRow>
            ))}
          </Body>
        </Table>
      </Section>
    </div>
  )
}
