import { Anchor, Button } from '@zendeskgarden/react-buttons'
import { Body, Cell, Head, HeaderCell, HeaderRow, Row, Table } from '@zendeskgarden/react-tables'
import { useEffect, useState } from 'react'
import { get, post } from '../api'
import { FormError, Row as Line, SelectField, useSubmit } from '../components/forms'
import type { Problem } from '@psa-link/shared/admin-api'

export function InboxView() {
  const [problems, setProblems] = useState<Problem[]>([])
  const [state, setState] = useState('open')
  const [selected, setSelected] = useState<number[]>([])
  const [notice, setNotice] = useState<string | null>(null)
  const actions = useSubmit()
  const load = async () => setProblems((await get<{ problems: Problem[] }>(`/problems?state=${state}`)).problems)
  useEffect(() => {
    void load()
    const timer = window.setInterval(() => void load(), 4000)
    return () => window.clearInterval(timer)
  }, [state])
  const act = async (label: string, work: () => Promise<unknown>) => {
    if ((await actions.submit(work)) !== null) {
      setNotice(label)
      setSelected([])
      await load()
    }
  }
  return (
    <div>
      <h1>Error inbox</h1>
      <Line>
        <SelectField
          name="state"
          label="Show"
          value={state}
          onChange={setState}
          options={[
            { value: 'open', label: 'Open and retrying' },
            { value: 'skipped', label: 'Skipped' },
            { value: 'resolved', label: 'Resolved' },
            { value: 'all', label: 'All' },
          ]}
        />
        <Button
          disabled={selected.length === 0}
          onClick={() => act(`${selected.length} problem(s) queued for retry.`, () => post('/problems/retry', { ids: selected }))}
        >
          Retry selected ({selected.length})
        </Button>
      </Line>
      <FormError message={actions.error} />
      {notice ? <p role="status">{notice}</p> : null}
      {problems.length === 0 ? <p>No problems here.</p> : null}
      <Table>
        <Head>
          <HeaderRow>
            <HeaderCell width="40px" />
            <HeaderCell>Problem</HeaderCell>
            <HeaderCell>Tickets</HeaderCell>
            <HeaderCell>Autotask / Zendesk said</HeaderCell>
            <HeaderCell>Attempts</HeaderCell>
            <HeaderCell>Actions</HeaderCell>
          </HeaderRow>
        </Head>
        <Body>
          {problems.map((problem) => (
            <Row key={problem.id} data-problem={problem.zendeskTicketId ?? ''}>
              <Cell width="40px">
                <input
                  type="checkbox"
                  aria-label={`select problem ${problem.id}`}
                  checked={selected.includes(problem.id)}
                  onChange={(event) => setSelected(event.target.checked ? [...selected, problem.id] : selected.filter((id) => id !== problem.id))}
                />
              </Cell>
              <Cell>
                <strong>{problem.title}</strong>
                <br />
                {problem.message}
                <details>
                  <summary>Details</summary>
                  Code {problem.code}, {problem.state === 'retrying' ? 'being retried' : problem.state}
                  {problem.connectionName ? `, connection ${problem.connectionName}` : ''}
                </details>
              </Cell>
              <Cell>
                {problem.zendeskUrl ? (
                  <Anchor href={problem.zendeskUrl} isExternal>
                    Zendesk #{problem.zendeskTicketId}
                  </Anchor>
                ) : null}
                <br />
                {problem.autotaskUrl ? (
                  <Anchor href={problem.autotaskUrl} isExternal>
                    {problem.autotaskTicketNumber}
                  </Anchor>
                ) : (
                  'no Autotask ticket'
                )}
              </Cell>
              <Cell>{problem.remoteMessage ?? '—'}</Cell>
              <Cell>{problem.attempts}</Cell>
              <Cell>
                <Line>
                  <Button size="small" onClick={() => act(`Problem ${problem.id} queued for retry.`, () => post(`/problems/${problem.id}/retry`))}>
                    Retry
                  </Button>
                  <Button size="small" onClick={() => act(`Problem ${problem.id} skipped.`, () => post(`/problems/${problem.id}/skip`))}>
                    Skip
                  </Button>
                  <Button size="small" onClick={() => act(`Problem ${problem.id} resolved.`, () => post(`/problems/${problem.id}/resolve`))}>
                    Resolve
                  </Button>
                  {problem.zendeskTicketId ? <Anchor href={`#/timeline?zendeskTicketId=${problem.zendeskTicketId}`}>Timeline</Anchor> : null}
                </Line>
              </Cell>
            </Row>
          ))}
        </Body>
      </Table>
    </div>
  )
}
