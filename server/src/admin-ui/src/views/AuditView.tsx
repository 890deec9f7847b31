import { Button } from '@zendeskgarden/react-buttons'
import { Well, Title } from '@zendeskgarden/react-notifications'
import { Body, Cell, Head, HeaderCell, HeaderRow, Row, Table } from '@zendeskgarden/react-tables'
import { useEffect, useState } from 'react'
import { del, get, post } from '../api'
import { FormError, Row as Line, Section, TextField, useSubmit } from '../components/forms'

interface Entry {
  id: number
  at: string
  action: string
  adminEmail: string | null
  details: Record<string, unknown>
}

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
            <HeaderCell>When</HeaderCell>
            <HeaderCell>Who</HeaderCell>
            <HeaderCell>Action</HeaderCell>
            <HeaderCell>Details</HeaderCell>
          </HeaderRow>
        </Head>
        <Body>
          {entries.map((entry) => (
            <Row key={entry.id}>
              <Cell>{new Date(entry.at).toLocaleString()}</Cell>
              <Cell>{entry.adminEmail ?? '—'}</Cell>
              <Cell>{entry.action}</Cell>
              <Cell>
                <code style={{ fontSize: 11 }}>{JSON.stringify(entry.details)}</code>
              </Cell>
            </Row>
          ))}
        </Body>
      </Table>
    </div>
  )
}

interface AdminLogin {
  id: number
  email: string
  connectionId: number | null
  mustChangePassword: boolean
  lockedUntil: string | null
}

export function UsersView() {
  const [users, setUsers] = useState<AdminLogin[]>([])
  const [email, setEmail] = useState('')
  const [connectionId, setConnectionId] = useState('')
  const [created, setCreated] = useState<{ email: string; temporaryPassword: string } | null>(null)
  const form = useSubmit()
  const load = async () => setUsers((await get<{ users: AdminLogin[] }>('/users')).users)
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
              <Cell>{user.connectionId === null ? 'whole account' : `connection ${user.connectionId}`}</Cell>
              <Cell>{user.lockedUntil ? `locked until ${new Date(user.lockedUntil).toLocaleTimeString()}` : user.mustChangePassword ? 'first password not changed' : 'active'}</Cell>
              <Cell>
                <Button size="small" isDanger onClick={async () => { if (await form.submit(() => del(`/users/${user.id}`))) await load() }}>
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
            const result = await form.submit(() => post<{ email: string; temporaryPassword: string }>('/users', { email, connectionId: connectionId || null }))
            if (result) {
              setCreated(result)
              await load()
            }
          }}
        >
          <Line>
            <TextField name="email" label="Email" value={email} onChange={setEmail} error={form.fieldErrors.email} />
            <TextField name="connectionId" label="Limit to connection id (optional)" value={connectionId} onChange={setConnectionId} error={form.fieldErrors.connectionId} />
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
