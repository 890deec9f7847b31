import { Anchor, Button } from '@zendeskgarden/react-buttons'
import { Alert } from '@zendeskgarden/react-notifications'
import { useEffect, useState } from 'react'
import { get, post } from '../api'
import { FormError, Row, Section, Stack, TextField, useSubmit } from '../components/forms'
import type { Timeline } from '@psa-link/shared/admin-api'

export function TimelineView({ query }: { query: URLSearchParams }) {
  const [zendeskTicketId, setZendesk] = useState(query.get('zendeskTicketId') ?? '')
  const [autotaskTicketNumber, setAutotask] = useState(query.get('autotaskTicketNumber') ?? '')
  const [timeline, setTimeline] = useState<Timeline | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const form = useSubmit()
  const find = async (byZendesk = zendeskTicketId, byAutotask = autotaskTicketNumber) => {
    const search = byZendesk.trim()
      ? `zendeskTicketId=${encodeURIComponent(byZendesk.trim())}`
      : `autotaskTicketNumber=${encodeURIComponent(byAutotask.trim())}`
    setTimeline(await form.submit(() => get<Timeline>(`/timeline?${search}`)))
  }
  useEffect(() => {
    if (zendeskTicketId || autotaskTicketNumber) void find()
  }, [])
  return (
    <div>
      <h1>Ticket timeline</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          void find()
        }}
      >
        <Stack>
          <Row>
            <TextField
              name="zendeskTicketId"
              label="Zendesk ticket id"
              value={zendeskTicketId}
              onChange={setZendesk}
              error={form.fieldErrors.zendeskTicketId}
            />
            <TextField
              name="autotaskTicketNumber"
              label="or Autotask ticket number"
              value={autotaskTicketNumber}
              onChange={setAutotask}
              error={form.fieldErrors.autotaskTicketNumber}
            />
          </Row>
          <div>
            <Button type="submit">Find</Button>
          </div>
          {Object.keys(form.fieldErrors).length === 0 && form.error ? <Alert type="warning">{form.error}</Alert> : null}
        </Stack>
      </form>
      {timeline ? (
        <div style={{ marginTop: 24 }}>
          <Section title={`Zendesk #${timeline.zendeskTicketId}`}>
            <p>
              <Anchor href={timeline.zendeskUrl} isExternal>
                Open in Zendesk
              </Anchor>
              {timeline.link?.autotaskUrl ? (
                <>
                  {' · '}
                  <Anchor href={timeline.link.autotaskUrl} isExternal>
                    {timeline.link.autotaskTicketNumber} in Autotask
                  </Anchor>
                </>
              ) : null}
            </p>
            <p data-testid="timeline-state">
              {timeline.link
                ? `Linked via ${timeline.link.connectionName} (${timeline.link.state}), last synced ${timeline.link.lastSyncedAt ? new Date(timeline.link.lastSyncedAt).toLocaleString() : 'never'}.`
                : 'Not linked.'}{' '}
              {timeline.state ? `State: ${timeline.state.state}${timeline.state.message ? ` — ${timeline.state.message}` : ''}` : ''}
            </p>
            <FormError message={null} />
            <Button
              onClick={async () => {
                if (await form.submit(() => post(`/tickets/${timeline.zendeskTicketId}/resync`))) setNotice('A full re-sync of this ticket is queued.')
              }}
            >
              Force re-sync
            </Button>
            {notice ? <p role="status">{notice}</p> : null}
          </Section>
          <Section title="Comments and notes (ledger)">
            {timeline.ledger.length === 0 ? <p>Nothing mirrored yet.</p> : null}
            <ol>
              {timeline.ledger.map((entry) => (
                <li key={entry.id}>
                  {new Date(entry.at).toLocaleString()} ·{' '}
                  {entry.origin === 'zendesk'
                    ? `Zendesk comment ${entry.zendeskCommentId} → note ${entry.autotaskNoteId ?? '…'}`
                    : `Autotask note ${entry.autotaskNoteId} → comment ${entry.zendeskCommentId ?? '…'}`}{' '}
                  · {entry.state}
                  {entry.skipReason ? ` (${entry.skipReason})` : ''} · {entry.authorName ?? ''} {entry.isPublic ? '(public)' : '(private)'} —{' '}
                  {entry.preview ?? ''}
                </li>
              ))}
            </ol>
          </Section>
          <Section title="Problems">
            {timeline.problems.length === 0 ? (
              <p>None.</p>
            ) : (
              timeline.problems.map((problem) => (
                <p key={problem.id}>
                  {problem.code} ({problem.state}, {problem.attempts} attempts): {problem.message} {problem.remoteMessage ? `— ${problem.remoteMessage}` : ''}
                </p>
              ))
            )}
          </Section>
          <Section title="Runs of this ticket">
            {timeline.runs.length === 0 ? (
              <p>None recorded (cycles are listed in the monitor).</p>
            ) : (
              timeline.runs.map((run) => (
                <p key={run.id}>
                  {new Date(run.startedAt).toLocaleString()} · {run.trigger} · {run.status}
                </p>
              ))
            )}
          </Section>
        </div>
      ) : null}
    </div>
  )
}
