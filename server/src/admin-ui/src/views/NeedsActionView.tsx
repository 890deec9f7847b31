import { Anchor, Button } from '@zendeskgarden/react-buttons'
import { useEffect, useState } from 'react'
import { get, post } from '../api'
import { AccountPicker } from '../components/AccountPicker'
import { FormError, Row, SelectField, TextField, useSubmit } from '../components/forms'
import type { ClusterIdGroup as Group, NeedsAction } from '@psa-link/shared/admin-api'

/** "Route this Cluster ID to…": one of the installed products it matched, or an Autotask account. */
function RouteForm({ group, connections, onRouted }: { group: Group; connections: NeedsAction['connections']; onRouted(message: string): void }) {
  const [connectionId, setConnectionId] = useState(String(connections[0]?.id ?? ''))
  const [candidate, setCandidate] = useState('0')
  const [accountId, setAccountId] = useState('')
  const [productId, setProductId] = useState('')
  const form = useSubmit()
  const connectionName = connections.find((connection) => String(connection.id) === connectionId)?.name
  const choices = group.candidates.filter((option) => option.connectionName === connectionName)
  const route = async () => {
    const chosen = choices[Number(candidate)]
    const body =
      group.kind === 'ambiguous' && chosen
        ? {
            clusterId: group.clusterId,
            connectionId: Number(connectionId),
            installedProductId: chosen.installedProductId,
            autotaskAccountId: chosen.autotaskAccountId,
          }
        : { clusterId: group.clusterId, connectionId: Number(connectionId), autotaskAccountId: accountId, installedProductId: productId }
    const result = await form.submit(() => post<{ ticketsQueued: number; accountName: string }>('/needs-action/routes', body))
    if (result) onRouted(`Cluster ID ${group.clusterId} now goes to ${result.accountName}; ${result.ticketsQueued} waiting ticket(s) are syncing now.`)
  }
  return (
    <div style={{ marginTop: 8 }}>
      <Row>
        {connections.length > 1 ? (
          <SelectField
            name={`connection-${group.clusterId}`}
            label="Autotask connection"
            value={connectionId}
            onChange={setConnectionId}
            options={connections.map((connection) => ({ value: String(connection.id), label: connection.name }))}
            error={form.fieldErrors.connectionId}
          />
        ) : null}
        {group.kind === 'ambiguous' && choices.length > 0 ? (
          <SelectField
            name={`candidate-${group.clusterId}`}
            label="Route to installed product"
            value={candidate}
            onChange={setCandidate}
            options={choices.map((option, index) => ({
              value: String(index),
              label: `Installed product ${option.installedProductId} (account ${option.autotaskAccountId})`,
            }))}
          />
        ) : (
          <>
            <AccountPicker
              name={`account-${group.clusterId}`}
              connectionId={connectionId}
              value={accountId}
              onChange={(chosen) => {
                setAccountId(chosen)
                form.clear()
              }}
              error={form.fieldErrors.autotaskAccountId}
            />
            <TextField
              name={`product-${group.clusterId}`}
              label="Installed product id (optional)"
              value={productId}
              onChange={setProductId}
              error={form.fieldErrors.installedProductId}
            />
          </>
        )}
        <Button size="small" isPrimary disabled={form.busy} onClick={route} style={{ alignSelf: 'flex-end' }}>
          Route {group.clusterId}
        </Button>
      </Row>
      <FormError message={form.error} />
    </div>
  )
}

/** Tickets PSA Link cannot send anywhere yet, one entry per Cluster ID, each routed from here. */
export function NeedsActionView() {
  const [data, setData] = useState<NeedsAction | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const load = async () => setData(await get<NeedsAction>('/needs-action'))
  useEffect(() => {
    void load()
  }, [])
  if (!data) return <p>Loading…</p>
  return (
    <div>
      <h1>Needs action</h1>
      <p>
        Tickets whose Cluster ID matches no installed product in Autotask, or several, wait here. Route the Cluster ID once and its tickets sync within a
        minute; later tickets with it follow the same route.
      </p>
      {notice ? <p role="status">{notice}</p> : null}
      {data.groups.length === 0 ? <p>Nothing waits for a decision.</p> : null}
      {data.groups.map((group) => (
        <section
          key={group.clusterId}
          data-cluster-id={group.clusterId}
          style={{ border: '1px solid #d8dcde', borderRadius: 4, padding: 16, marginBottom: 16 }}
        >
          <h2 style={{ fontSize: 16, margin: 0 }}>{group.title}</h2>
          <p style={{ margin: '4px 0' }}>
            {group.ticketCount} ticket(s) waiting since {new Date(group.since).toLocaleString()}:{' '}
            {group.tickets.map((ticket, index) => (
              <span key={ticket.id}>
                {index > 0 ? ', ' : ''}
                <Anchor href={ticket.url} isExternal>
                  #{ticket.id}
                </Anchor>
              </span>
            ))}
            {group.ticketCount > group.tickets.length ? ` and ${group.ticketCount - group.tickets.length} more` : ''}
          </p>
          {group.kind === 'ambiguous' ? (
            <details>
              <summary>Which installed products match</summary>
              <ul>
                {group.candidates.map((candidate) => (
                  <li key={`${candidate.connectionName}-${candidate.installedProductId}`}>
                    {candidate.connectionName}: installed product {candidate.installedProductId}, account {candidate.autotaskAccountId}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          <RouteForm
            group={group}
            connections={data.connections}
            onRouted={(message) => {
              setNotice(message)
              void load()
            }}
          />
        </section>
      ))}
      {data.routes.length > 0 ? (
        <>
          <h2 style={{ fontSize: 18 }}>Routes set here</h2>
          <ul>
            {data.routes.map((route) => (
              <li key={route.clusterId}>
                {route.clusterId} → {route.connectionName}, account {route.autotaskAccountId}
                {route.installedProductId ? `, installed product ${route.installedProductId}` : ''} (by {route.createdBy ?? 'a removed admin'},{' '}
                {new Date(route.createdAt).toLocaleString()})
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  )
}
