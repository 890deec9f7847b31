import { Button } from '@zendeskgarden/react-buttons'
import { Alert } from '@zendeskgarden/react-notifications'
import { Body, Cell, Head, HeaderCell, HeaderRow, Row as TableRow, Table } from '@zendeskgarden/react-tables'
import { Tag } from '@zendeskgarden/react-tags'
import { useEffect, useState } from 'react'
import { del, get, post, put } from '../api'
import { FormError, Row, Section, SelectField, Stack, TextField, useSubmit } from '../components/forms'
import type { Connection, PicklistOption, Session } from '@psa-link/shared/admin-api'

interface CredentialsForm {
  name: string
  transport: string
  zoneUrl: string
  apiUsername: string
  secret: string
  integrationCode: string
}

const EMPTY: CredentialsForm = { name: '', transport: 'auto', zoneUrl: '', apiUsername: '', secret: '', integrationCode: '' }

export function CredentialsFields({
  form,
  setForm,
  errors,
  editing,
}: {
  form: CredentialsForm
  setForm(form: CredentialsForm): void
  errors: Record<string, string>
  editing: boolean
}) {
  const field = (name: keyof CredentialsForm) => ({
    name,
    value: form[name],
    onChange: (value: string) => setForm({ ...form, [name]: value }),
    error: errors[name],
  })
  return (
    <>
      <TextField label="Name" {...field('name')} />
      <SelectField
        label="Transport"
        hint="Detect tries REST first, then SOAP, and keeps the one that answers."
        options={[
          ...(editing ? [] : [{ value: 'auto', label: 'Detect (REST first, then SOAP)' }]),
          { value: 'rest', label: 'REST (API v1.0)' },
          { value: 'soap', label: 'SOAP (Web Services API 1.6)' },
        ]}
        {...field('transport')}
      />
      <TextField
        label="Zone URL"
        hint="An https address on autotask.net, such as https://webservices5.autotask.net/ATServicesRest/V1.0/. Leave empty to look the zone up from the API user."
        {...field('zoneUrl')}
      />
      <TextField label="API user" {...field('apiUsername')} />
      <TextField
        label="Secret"
        type="password"
        hint={editing ? 'Leave empty to keep the stored secret; enter it again when you change the zone URL or API user.' : undefined}
        {...field('secret')}
      />
      <TextField
        label="Integration code"
        type="password"
        hint={editing ? 'Leave empty to keep the stored code; enter it again when you change the zone URL or API user.' : undefined}
        {...field('integrationCode')}
      />
      {errors.credentials ? (
        <Alert type="error" role="alert" data-field-error="credentials">
          {errors.credentials}
        </Alert>
      ) : null}
    </>
  )
}

function statusTag(connection: Connection) {
  if (connection.paused) return <Tag hue="yellow">paused</Tag>
  if (connection.status === 'ready') return <Tag hue="green">ready</Tag>
  if (connection.status === 'failing') return <Tag hue="red">failing</Tag>
  return <Tag>untested</Tag>
}

export function ConnectionsView({ session }: { session: Session }) {
  const [connections, setConnections] = useState<Connection[]>([])
  const [adding, setAdding] = useState(false)
  const [form, setForm] = useState<CredentialsForm>(EMPTY)
  const addForm = useSubmit()
  const actions = useSubmit()
  const load = async () => setConnections((await get<{ connections: Connection[] }>('/connections')).connections)
  useEffect(() => {
    void load()
  }, [])
  const act = async (work: () => Promise<unknown>) => {
    if ((await actions.submit(work)) !== null) await load()
  }
  return (
    <div>
      <h1>Autotask connections</h1>
      <FormError message={actions.error} />
      <Table>
        <Head>
          <HeaderRow>
            <HeaderCell>Name</HeaderCell>
            <HeaderCell>API user</HeaderCell>
            <HeaderCell>State</HeaderCell>
            <HeaderCell>Actions</HeaderCell>
          </HeaderRow>
        </Head>
        <Body>
          {connections.map((connection) => (
            <TableRow key={connection.id} data-connection={connection.name}>
              <Cell>
                <a href={`#/connections/${connection.id}`}>{connection.name}</a>
              </Cell>
              <Cell>{connection.apiUsername}</Cell>
              <Cell>
                {statusTag(connection)} {connection.statusMessage}
              </Cell>
              <Cell>
                <Row>
                  <Button size="small" onClick={() => window.location.assign(`#/connections/${connection.id}`)}>
                    Edit and map
                  </Button>
                  <Button size="small" onClick={() => act(() => post(`/connections/${connection.id}/${connection.paused ? 'resume' : 'pause'}`))}>
                    {connection.paused ? 'Resume' : 'Pause'}
                  </Button>
                  {session.connectionId === null ? (
                    <Button
                      size="small"
                      isDanger
                      onClick={() => {
                        if (window.confirm(`Remove ${connection.name}? Its links stay as history; nothing more is synced with it.`))
                          void act(() => del(`/connections/${connection.id}`))
                      }}
                    >
                      Remove
                    </Button>
                  ) : null}
                </Row>
              </Cell>
            </TableRow>
          ))}
        </Body>
      </Table>
      {connections.length === 0 ? <p>No Autotask connection yet.</p> : null}
      {session.connectionId === null ? (
        <Section title="Add a connection">
          {adding ? (
            <form
              onSubmit={async (event) => {
                event.preventDefault()
                const created = await addForm.submit(() => post<Connection>('/connections', form))
                if (created) window.location.assign(`#/connections/${created.id}`)
              }}
            >
              <Stack>
                <CredentialsFields form={form} setForm={setForm} errors={addForm.fieldErrors} editing={false} />
                {Object.keys(addForm.fieldErrors).length === 0 ? <FormError message={addForm.error} /> : null}
                <Row>
                  <Button type="submit" isPrimary disabled={addForm.busy}>
                    {addForm.busy ? 'Testing…' : 'Test and add'}
                  </Button>
                  <Button isBasic onClick={() => setAdding(false)}>
                    Cancel
                  </Button>
                </Row>
              </Stack>
            </form>
          ) : (
            <Button onClick={() => setAdding(true)}>Add connection</Button>
          )}
        </Section>
      ) : null}
    </div>
  )
}

export function ConnectionEditor({ id }: { id: number }) {
  const [connection, setConnection] = useState<Connection | null>(null)
  const [form, setForm] = useState<CredentialsForm>(EMPTY)
  const [saved, setSaved] = useState<string | null>(null)
  const credentials = useSubmit()
  const load = async () => {
    const loaded = await get<Connection>(`/connections/${id}`)
    setConnection(loaded)
    setForm({ name: loaded.name, transport: loaded.transport, zoneUrl: loaded.zoneUrl ?? '', apiUsername: loaded.apiUsername, secret: '', integrationCode: '' })
  }
  useEffect(() => {
    void load()
  }, [id])
  if (!connection) return <p>Loading…</p>
  return (
    <div>
      <h1>{connection.name}</h1>
      <Section title="Credentials">
        <form
          onSubmit={async (event) => {
            event.preventDefault()
            const body: Record<string, string> = { name: form.name, transport: form.transport, zoneUrl: form.zoneUrl, apiUsername: form.apiUsername }
            if (form.secret) body.secret = form.secret
            if (form.integrationCode) body.integrationCode = form.integrationCode
            if (await credentials.submit(() => put(`/connections/${id}`, body))) {
              setSaved('Credentials tested and saved.')
              await load()
            }
          }}
        >
          <Stack>
            <CredentialsFields form={form} setForm={setForm} errors={credentials.fieldErrors} editing />
            {Object.keys(credentials.fieldErrors).length === 0 ? <FormError message={credentials.error} /> : null}
            <div>
              <Button type="submit" disabled={credentials.busy}>
                Test and save
              </Button>
            </div>
          </Stack>
        </form>
      </Section>
      {saved ? <Alert type="success">{saved}</Alert> : null}
      <MappingEditor connection={connection} onSaved={load} />
    </div>
  )
}

const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
const STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const

type Settings = Record<string, unknown>

/**
 * Zendesk value → Autotask value, two columns. An unset row follows the default, and the choice
 * says what that default is in this Autotask database (or that it has no such value).
 */
function MappingTable(props: {
  caption: string
  rows: { name: string; zendesk: string; defaultLabel: string }[]
  options: PicklistOption[]
  value(name: string): string
  onChange(name: string, value: string): void
  errors: Record<string, string>
}) {
  const active = props.options.filter((option) => option.isActive)
  const resolvesTo = (label: string) => {
    const found = active.find((option) => option.label.toLowerCase() === label.toLowerCase())
    return found ? `Default: ${found.label} (${found.value})` : `Default “${label}” does not exist here: choose one`
  }
  return (
    <table style={{ borderCollapse: 'collapse', width: '100%', maxWidth: 640 }} data-mapping={props.caption}>
      <caption style={{ textAlign: 'left', fontWeight: 600, fontSize: 16, padding: '8px 0' }}>{props.caption}: Zendesk → Autotask</caption>
      <thead>
        <tr>
          <th scope="col" style={{ textAlign: 'left', padding: 6, borderBottom: '1px solid #d8dcde' }}>
            Zendesk value
          </th>
          <th scope="col" style={{ textAlign: 'left', padding: 6, borderBottom: '1px solid #d8dcde' }}>
            Autotask value
          </th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.name}>
            <th scope="row" style={{ textAlign: 'left', fontWeight: 400, padding: 6 }}>
              {row.zendesk}
            </th>
            <td style={{ padding: 6 }}>
              <select
                name={row.name}
                aria-label={`${row.zendesk} becomes`}
                value={props.value(row.name)}
                onChange={(event) => props.onChange(row.name, event.target.value)}
                style={{ width: '100%', padding: 6, border: '1px solid #68737d', borderRadius: 4, fontSize: 14 }}
              >
                <option value="">{resolvesTo(row.defaultLabel)}</option>
                {active.map((option) => (
                  <option key={option.value} value={String(option.value)}>
                    {option.label} ({option.value})
                  </option>
                ))}
              </select>
              {props.errors[row.name] ? (
                <div role="alert" data-field-error={row.name} style={{ color: '#cc3340', fontSize: 13 }}>
                  {props.errors[row.name]}
                </div>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function MappingEditor({ connection, onSaved }: { connection: Connection; onSaved(): Promise<void> }) {
  const [settings, setSettings] = useState<Settings>(connection.settings)
  const [dueHours, setDueHours] = useState<Record<string, string>>(() =>
    Object.fromEntries(PRIORITIES.map((key) => [key, String((connection.settings.dueHours as Record<string, number> | undefined)?.[key] ?? '')])),
  )
  const [done, setDone] = useState(false)
  const form = useSubmit()
  const picklists = connection.picklists
  const defaults = connection.mappingDefaults ?? { priority: {}, status: {} }
  if (!picklists) return <p>The picklists are not loaded yet: test the credentials.</p>
  const options = (list: Array<{ value: number; label: string; isActive: boolean }>, defaultLabel: string) => [
    { value: '', label: defaultLabel },
    ...list.filter((option) => option.isActive).map((option) => ({ value: String(option.value), label: `${option.label} (${option.value})` })),
  ]
  const nested = (group: string, key: string) => String((settings[group] as Record<string, number> | undefined)?.[key] ?? '')
  const setNested = (group: string, key: string, value: string) =>
    setSettings({ ...settings, [group]: { ...((settings[group] as object | undefined) ?? {}), [key]: value === '' ? undefined : Number(value) } })
  const single = (key: string) => (settings[key] === undefined || settings[key] === null ? '' : String(settings[key]))
  const setSingle = (key: string, value: string) => setSettings({ ...settings, [key]: value === '' ? undefined : Number(value) })
  const allowed = (settings.noteTypesToZendesk as number[] | undefined) ?? null

  return (
    <Section title="Mappings">
      <form
        onSubmit={async (event) => {
          event.preventDefault()
          setDone(false)
          const hours = Object.fromEntries(
            Object.entries(dueHours)
              .filter(([, value]) => value.trim() !== '')
              .map(([key, value]) => [key, /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value]),
          )
          const body = JSON.parse(JSON.stringify({ ...settings, dueHours: Object.keys(hours).length ? hours : undefined })) as Settings
          if (await form.submit(() => put(`/connections/${connection.id}/settings`, { settings: body }))) {
            setDone(true)
            await onSaved()
          }
        }}
      >
        <Stack>
          <MappingTable
            caption="Priority"
            rows={[
              ...PRIORITIES.map((key) => ({ name: `priority.${key}`, zendesk: `Zendesk ${key}`, defaultLabel: defaults.priority[key] ?? '' })),
              { name: 'defaultPriority', zendesk: 'No Zendesk priority', defaultLabel: defaults.priority.normal ?? '' },
            ]}
            options={picklists.priority}
            value={(name) => (name === 'defaultPriority' ? single('defaultPriority') : nested('priority', name.split('.')[1]!))}
            onChange={(name, value) => (name === 'defaultPriority' ? setSingle('defaultPriority', value) : setNested('priority', name.split('.')[1]!, value))}
            errors={form.fieldErrors}
          />
          <MappingTable
            caption="Status"
            rows={STATUSES.map((key) => ({ name: `status.${key}`, zendesk: `Zendesk ${key}`, defaultLabel: defaults.status[key] ?? '' }))}
            options={picklists.status}
            value={(name) => nested('status', name.split('.')[1]!)}
            onChange={(name, value) => setNested('status', name.split('.')[1]!, value)}
            errors={form.fieldErrors}
          />
          <h3>New Autotask tickets</h3>
          <SelectField
            name="queueId"
            label="Queue"
            value={single('queueId')}
            options={options(picklists.queue, 'None')}
            onChange={(value) => setSingle('queueId', value)}
            error={form.fieldErrors.queueId}
          />
          <SelectField
            name="sourceId"
            label="Source"
            value={single('sourceId')}
            options={options(picklists.source, 'None')}
            onChange={(value) => setSingle('sourceId', value)}
            error={form.fieldErrors.sourceId}
          />
          <SelectField
            name="ticketTypeId"
            label="Ticket type"
            value={single('ticketTypeId')}
            options={options(picklists.ticketType, 'None')}
            onChange={(value) => setSingle('ticketTypeId', value)}
            error={form.fieldErrors.ticketTypeId}
          />
          {PRIORITIES.map((key) => (
            <TextField
              key={key}
              name={`dueHours.${key}`}
              label={`Due in hours (${key})`}
              hint={key === 'urgent' ? 'Default 4' : 'Default 24'}
              value={dueHours[key] ?? ''}
              onChange={(value) => setDueHours({ ...dueHours, [key]: value })}
              error={form.fieldErrors[`dueHours.${key}`]}
            />
          ))}
          <h3>Notes</h3>
          <SelectField
            name="noteTypeId"
            label="Note type of Zendesk comments"
            value={single('noteTypeId')}
            options={options(picklists.noteType, 'Default note type')}
            onChange={(value) => setSingle('noteTypeId', value)}
            error={form.fieldErrors.noteTypeId}
          />
          <fieldset style={{ border: 0, padding: 0 }}>
            <legend>Autotask note types sent to Zendesk {allowed === null ? '(default: all but workflow, RMM, survey and merge notes)' : ''}</legend>
            {picklists.noteType.map((option) => (
              <label key={option.value} style={{ display: 'block' }}>
                <input
                  type="checkbox"
                  name={`noteType-${option.value}`}
                  checked={allowed === null ? !/workflow|rmm|survey|merge/i.test(option.label) : allowed.includes(option.value)}
                  onChange={(event) => {
                    const current =
                      allowed ??
                      picklists.noteType.filter((candidate) => !/workflow|rmm|survey|merge/i.test(candidate.label)).map((candidate) => candidate.value)
                    setSettings({
                      ...settings,
                      noteTypesToZendesk: event.target.checked ? [...current, option.value] : current.filter((value) => value !== option.value),
                    })
                  }}
                />{' '}
                {option.label}
              </label>
            ))}
            {form.fieldErrors.noteTypesToZendesk ? <p style={{ color: '#cc3340' }}>{form.fieldErrors.noteTypesToZendesk}</p> : null}
          </fieldset>
          <label>
            <input
              type="checkbox"
              name="publicNotesToZendesk"
              checked={settings.publicNotesToZendesk === true}
              onChange={(event) => setSettings({ ...settings, publicNotesToZendesk: event.target.checked })}
            />{' '}
            Notes published to all Autotask users become public Zendesk comments
          </label>
          <label>
            <input
              type="checkbox"
              name="createForSolved"
              checked={settings.createForSolved === true}
              onChange={(event) => setSettings({ ...settings, createForSolved: event.target.checked })}
            />{' '}
            Create Autotask tickets for Zendesk tickets already solved
          </label>
          {Object.keys(form.fieldErrors).length > 0 || form.error ? <FormError message={form.error} /> : null}
          {done ? <Alert type="success">Mappings checked against the live picklists and saved.</Alert> : null}
          <div>
            <Button type="submit" isPrimary disabled={form.busy}>
              Save mappings
            </Button>
          </div>
        </Stack>
      </form>
    </Section>
  )
}
