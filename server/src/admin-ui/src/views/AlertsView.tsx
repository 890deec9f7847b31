import { Button } from '@zendeskgarden/react-buttons'
import { useEffect, useState } from 'react'
import { del, get, post, put } from '../api'
import { CheckField, FormError, Row, Section, SelectField, Stack, TextField, useSubmit } from '../components/forms'
import type { Alerts } from '@psa-link/shared/admin-api'

/** Who hears about trouble: email addresses and Slack/Teams webhooks, the SMTP server, "send test". */
export function AlertsView() {
  const [data, setData] = useState<Alerts | null>(null)
  const [kind, setKind] = useState('email')
  const [address, setAddress] = useState('')
  const [smtp, setSmtp] = useState({ host: '', port: '587', secure: false, username: '', password: '', from: '' })
  const [notice, setNotice] = useState<string | null>(null)
  const adding = useSubmit()
  const saving = useSubmit()
  const acting = useSubmit()
  const load = async () => {
    const loaded = await get<Alerts>('/alerts')
    setData(loaded)
    if (loaded.smtp)
      setSmtp({
        host: loaded.smtp.host,
        port: String(loaded.smtp.port),
        secure: loaded.smtp.secure,
        username: loaded.smtp.username ?? '',
        password: '',
        from: loaded.smtp.from,
      })
  }
  useEffect(() => {
    void load()
  }, [])
  if (!data) return <p>Loading…</p>
  return (
    <div>
      <h1>Alerts</h1>
      <p>PSA Link tells these targets when an Autotask connection starts or stops failing and when problems pile up, at most once an hour per kind of alert.</p>
      {notice ? <p role="status">{notice}</p> : null}
      <FormError message={acting.error} />
      <Section title="Targets">
        {data.targets.length === 0 ? <p>No alert targets yet.</p> : null}
        <ul>
          {data.targets.map((target) => (
            <li key={target.id} data-alert-target={target.address} style={{ marginBottom: 8 }}>
              {target.kind === 'email' ? 'Email' : 'Webhook'}: {target.address}
              {target.lastError
                ? ` — last delivery failed: ${target.lastError}`
                : target.lastSentAt
                  ? ` — last sent ${new Date(target.lastSentAt).toLocaleString()}`
                  : ''}{' '}
              <Button
                size="small"
                onClick={async () =>
                  (await acting.submit(() => post(`/alerts/targets/${target.id}/test`))) && (setNotice(`Test alert sent to ${target.address}.`), void load())
                }
              >
                Send test
              </Button>{' '}
              <Button size="small" isDanger onClick={async () => (await acting.submit(() => del(`/alerts/targets/${target.id}`))) && void load()}>
                Remove
              </Button>
            </li>
          ))}
        </ul>
        <Row>
          <SelectField
            name="kind"
            label="Kind"
            value={kind}
            onChange={setKind}
            options={[
              { value: 'email', label: 'Email' },
              { value: 'webhook', label: 'Webhook (Slack, Teams)' },
            ]}
          />
          <TextField
            name="address"
            label={kind === 'email' ? 'Email address' : 'Webhook URL (https)'}
            value={address}
            onChange={setAddress}
            error={adding.fieldErrors.address}
          />
          <Button
            style={{ alignSelf: 'flex-end' }}
            onClick={async () => {
              if (await adding.submit(() => post('/alerts/targets', { kind, address }))) {
                setAddress('')
                await load()
              }
            }}
          >
            Add target
          </Button>
        </Row>
      </Section>
      <Section title="Email server (SMTP)">
        <p>
          {data.smtp
            ? 'This account sends alerts through its own SMTP server.'
            : data.smtpFromEnvironment
              ? 'Alerts go through the SMTP server set in PSA Link’s environment; enter one here to use your own.'
              : 'No SMTP server is set up: email alerts cannot be sent until you enter one.'}
        </p>
        <Stack>
          <TextField name="smtpHost" label="Host" value={smtp.host} onChange={(host) => setSmtp({ ...smtp, host })} error={saving.fieldErrors.host} />
          <TextField name="smtpPort" label="Port" value={smtp.port} onChange={(port) => setSmtp({ ...smtp, port })} error={saving.fieldErrors.port} />
          <CheckField name="smtpSecure" label="TLS from the start (port 465)" checked={smtp.secure} onChange={(secure) => setSmtp({ ...smtp, secure })} />
          <TextField name="smtpUser" label="User name (optional)" value={smtp.username} onChange={(username) => setSmtp({ ...smtp, username })} />
          <TextField
            name="smtpPassword"
            type="password"
            label="Password"
            hint={data.smtp?.passwordSet ? 'Stored encrypted; leave empty to keep it.' : undefined}
            value={smtp.password}
            onChange={(password) => setSmtp({ ...smtp, password })}
          />
          <TextField name="smtpFrom" label="Sender address" value={smtp.from} onChange={(from) => setSmtp({ ...smtp, from })} error={saving.fieldErrors.from} />
          <FormError message={saving.error} />
          <Row>
            <Button
              isPrimary
              onClick={async () =>
                (await saving.submit(() => put('/alerts/smtp', { ...smtp, port: Number(smtp.port) }))) && (setNotice('SMTP server saved.'), void load())
              }
            >
              Save SMTP server
            </Button>
          </Row>
        </Stack>
      </Section>
    </div>
  )
}
