import { Button } from '@zendeskgarden/react-buttons'
import { Well, Title } from '@zendeskgarden/react-notifications'
import { Body, Cell, Head, HeaderCell, HeaderRow, Row, Table } from '@zendeskgarden/react-tables'
import { useEffect, useState } from 'react'
import { del, get, post } from '../api'
import { FormError, Row as Line, Section, SelectField, TextField, useSubmit } from '../components/forms'
import type { AdminLogin, AuditEntry as Entry } from '@psa-link/shared/admin-api'

/** The audit log as sentences (who did what, when), with each changed setting before → after. */
export function AuditView() {
  const [entries, setEntries] = useState<Entry[]>([])
  useEffect(() => {
    void get<{ entries: Entry[] }>('/audit').then((result) => setEntries(result.entries))
  }, [])
  return (
    <div>
      <h1>Audit log</h1>
      <Table size="small">
        <Head>
          <HeaderRow>
            <HeaderCell width="200px">When</HeaderCell>
            <HeaderCell>What happened</HeaderCell>
          </HeaderRow>
        </Head>
        <Body>
          {entries.map((entry) => (
            <Row key={entry.id}>
              <Cell width="200px">{new Date(entry.at).toLocaleString()}</Cell>
              <Cell data-audit-action={entry.action}>
                {entry.sentence}
                {entry.changes.length > 0 ? (
                  <ul style={{ margin: '4px 0' }}>
                    {entry.changes.map((change) => (
                      <li key={change.field}>
                        {change.field}: {change.before} → {change.after}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </Cell>
            </Row>
          ))}
        </Body>
      </Table>
    </div>
  )
}

export function UsersView() {
  const [users, setUsers] = useState<AdminLogin[]>([])
  const [email, setEmail] = useState('')
  const [connectionId, setConnectionId] = useState('')
  const [created, setCreated] = useState<{ email: string; temporaryPassword: string } | null>(null)
  const [connections, setConnections] = useState<{ id: number; name: string }[]>([])
  const form = useSubmit()
  const load = async () => {
    setUsers((await get<{ users: AdminLogin[] }>('/users')).users)
    setConnections((await get<{ connections: { id: number; name: string }[] }>('/connections')).connections)
  }
  const nameOf = (id: number) => connections.find((connection) => connection.id === id)?.name ?? `connection ${id}`
  useEffect(() => {
    void load()
  }, [])
  return (
    <div>
      <h1>Admin logins</h1>
      <Table size="small">
        <Head>
          <HeaderRow>
            <HeaderCell>Email</HeaderCell>
            <HeaderCell>Scope</HeaderCell>
            <HeaderCell>State</HeaderCell>
            <HeaderCell />
          </HeaderRow>
        </Head>
        <Body>
          {users.map((user) => (
            <Row key={user.id}>
              <Cell>{user.email}</Cell>
              <Cell>{user.connectionId === null ? 'whole account' : `only ${nameOf(user.connectionId)}`}</Cell>
              <Cell>
                {user.lockedUntil
                  ? `locked until ${new Date(user.lockedUntil).toLocaleTimeString()}`
                  : user.mustChangePassword
                    ? 'first password not changed'
                    : 'active'}
              </Cell>
              <Cell>
                <Button
                  size="small"
                  isDanger
                  onClick={async () => {
                    if (await form.submit(() => del(`/users/${user.id}`))) await load()
                  }}
                >
                  Remove
                </Button>
              </Cell>
            </Row>
          ))}
        </Body>
      </Table>
      <Section title="Add an admin">
        <form
          onSubmit={async (event) => {
            event.preventDefault()
            const result = await form.submit(() =>
              post<{ email: string; temporaryPassword: string }>('/users', { email, connectionId: connectionId ? Number(connectionId) : null }),
            )
            if (result) {
              setCreated(result)
              await load()
            }
          }}
        >
          <Line>
            <TextField name="email" label="Email" value={email} onChange={setEmail} error={form.fieldErrors.email} />
            <SelectField
              name="connectionId"
              label="Can see and change"
              value={connectionId}
              onChange={setConnectionId}
              options={[
                { value: '', label: 'The whole account' },
                ...connections.map((connection) => ({ value: String(connection.id), label: `Only Autotask connection “${connection.name}”` })),
              ]}
              error={form.fieldErrors.connectionId}
            />
          </Line>
          {Object.keys(form.fieldErrors).length === 0 ? <FormError message={form.error} /> : null}
          <Button type="submit" style={{ marginTop: 12 }}>
            Add admin
          </Button>
        </form>
        {created ? (
          <Well style={{ marginTop: 12 }}>
            <Title>First password for {created.email} — shown once</Title>
            <code>{created.temporaryPassword}</code> (they choose their own at first sign-in)
          </Well>
        ) : null}
      </Section>
    </div>
  )
}
