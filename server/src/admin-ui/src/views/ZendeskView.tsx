import { Button } from '@zendeskgarden/react-buttons'
import { Field, Fieldset, Hint, Label, Radio } from '@zendeskgarden/react-forms'
import { Alert, Title, Well } from '@zendeskgarden/react-notifications'
import { useEffect, useState } from 'react'
import { get, post, put } from '../api'
import { FormError, Row, Section, SelectField, Stack, TextField, useSubmit } from '../components/forms'
import { LinkVisibilitySection } from './LinkVisibilitySection'
import type { ManualLinkPolicy, ZendeskSettings } from '@psa-link/shared/admin-api'

/** One sentence each: who may, and how PSA Link knows (zendesk-app/README.md, "Link by hand"). */
const MANUAL_LINK_CHOICES: Array<{ value: ManualLinkPolicy; label: string; hint: string }> = [
  { value: 'off', label: 'Nobody', hint: 'The sidebar offers no Link or Unlink; tickets are linked only by their Cluster ID.' },
  { value: 'agents', label: 'Every agent', hint: 'Any agent of this Zendesk account may link and unlink from the sidebar of a ticket they open.' },
  {
    value: 'admins',
    label: 'Zendesk admins only',
    hint: 'PSA Link asks Zendesk for the user’s role on every link, but the user id is a claim the agent’s browser writes, so an agent who forges requests could pass as an admin (see the app’s README).',
  },
]

/** Who may link a ticket to an existing Autotask ticket by its number from the sidebar; saved and audited on its own. */
function ManualLinkForm({ current, onSaved }: { current: ManualLinkPolicy; onSaved(): Promise<void> }) {
  const [policy, setPolicy] = useState<ManualLinkPolicy>(current)
  const [saved, setSaved] = useState(false)
  const { fieldErrors, error, busy, submit } = useSubmit()
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault()
        setSaved(false)
        if (await submit(() => put('/zendesk/sidebar-manual-link', { policy }))) {
          setSaved(true)
          await onSaved()
        }
      }}
    >
      <Stack>
        <Fieldset>
          <Fieldset.Legend>Who may link a ticket to an Autotask ticket by its number, and unlink it, from the sidebar</Fieldset.Legend>
          {MANUAL_LINK_CHOICES.map((choice) => (
            <Field key={choice.value}>
              <Radio name="sidebarManualLink" value={choice.value} checked={policy === choice.value} onChange={() => setPolicy(choice.value)}>
                <Label>{choice.label}</Label>
                <Hint data-testid={`manual-link-hint-${choice.value}`}>{choice.hint}</Hint>
              </Radio>
            </Field>
          ))}
        </Fieldset>
        <FormError message={fieldErrors.policy ?? error} />
        {saved ? <Alert type="success">Saved: the sidebar follows it from its next read.</Alert> : null}
        <div>
          <Button type="submit" disabled={busy || policy === current}>
            Save who may link
          </Button>
        </div>
      </Stack>
    </form>
  )
}

const AUTH_LABEL = {
  oauth: 'Connected with OAuth',
  token: 'Connected with a fixed token (reconnect with OAuth)',
  api_token: 'Connected with an API token (being retired by Zendesk: reconnect with OAuth)',
}

/**
 * The account's own OAuth client, server to server: no redirect, and the only way in for an
 * installation without a global client (Zendesk no longer issues API tokens).
 */
function ClientCredentialsForm({ onConnected }: { onConnected(): Promise<void> }) {
  const [clientId, setClientId] = useState('')
  const [clientSecret, setClientSecret] = useState('')
  const [connected, setConnected] = useState<string | null>(null)
  const { fieldErrors, error, busy, submit } = useSubmit()
  return (
    <form
      style={{ marginTop: 24 }}
      onSubmit={async (event) => {
        event.preventDefault()
        const result = await submit(() => post<{ integrationUser: string }>('/zendesk/oauth/client-credentials', { clientId, clientSecret }))
        if (result) {
          setConnected(result.integrationUser)
          setClientSecret('')
          await onConnected()
        }
      }}
    >
      <Stack>
        <h3 style={{ margin: 0, fontSize: 15 }}>…or with your account&apos;s OAuth client</h3>
        <p style={{ margin: 0 }}>
          In Zendesk, Admin Center › Apps and integrations › APIs › OAuth clients: add a confidential client and paste its identifier and secret. PSA Link asks
          for its tokens itself (client credentials) and acts as the client&apos;s owner.
        </p>
        {connected ? (
          <Alert type="success">
            <Title>Zendesk connected</Title>PSA Link acts as {connected}.
          </Alert>
        ) : null}
        <Row>
          <TextField name="clientId" label="Client identifier" value={clientId} onChange={setClientId} error={fieldErrors.clientId} />
          <TextField
            name="clientSecret"
            label="Client secret"
            type="password"
            value={clientSecret}
            onChange={setClientSecret}
            error={fieldErrors.clientSecret}
          />
        </Row>
        {Object.keys(fieldErrors).length === 0 ? <FormError message={error} /> : null}
        <div>
          <Button type="submit" disabled={busy}>
            Connect with this client
          </Button>
        </div>
      </Stack>
    </form>
  )
}

export function ZendeskView({ query }: { query: URLSearchParams }) {
  const [settings, setSettings] = useState<ZendeskSettings | null>(null)
  const [fields, setFields] = useState<Array<{ id: number; title: string }>>([])
  const [fieldId, setFieldId] = useState('')
  const [newTitle, setNewTitle] = useState('Cluster ID')
  const [secret, setSecret] = useState<string | null>(null)
  const [confirming, setConfirming] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)
  const fieldForm = useSubmit()
  const createForm = useSubmit()
  const actions = useSubmit()

  async function load() {
    const loaded = await get<ZendeskSettings>('/zendesk')
    setSettings(loaded)
    setFieldId(loaded.clusterIdFieldId ? String(loaded.clusterIdFieldId) : '')
    if (loaded.auth) setFields((await get<{ fields: Array<{ id: number; title: string }> }>('/zendesk/fields').catch(() => ({ fields: [] }))).fields)
  }
  useEffect(() => {
    void load()
  }, [])

  if (!settings) return <p>Loading…</p>
  const oauthError = query.get('oauth_error')
  return (
    <div>
      <h1>Zendesk account {settings.subdomain}</h1>
      {query.get('connected') ? (
        <Alert type="success">
          <Title>Zendesk connected</Title>PSA Link now uses an OAuth token of {settings.subdomain}.
        </Alert>
      ) : null}
      {oauthError ? (
        <Alert type="error">
          <Title>Zendesk was not connected</Title>
          {oauthError === 'state' ? 'The authorization did not come back to the session that started it. Try again.' : oauthError}
        </Alert>
      ) : null}
      <Section title="1. Connection">
        <p data-testid="zendesk-auth">
          {settings.auth ? AUTH_LABEL[settings.auth] : 'Not connected.'} ({settings.baseUrl})
        </p>
        <FormError message={actions.error} />
        <Button
          isPrimary={settings.auth !== 'oauth'}
          disabled={!settings.oauthClientAvailable}
          onClick={async () => {
            const started = await actions.submit(() => post<{ authorizeUrl: string }>('/zendesk/oauth/start'))
            if (started) window.location.assign(started.authorizeUrl)
          }}
        >
          {settings.auth === 'oauth' ? 'Reconnect with OAuth' : 'Connect with OAuth'}
        </Button>
        {!settings.oauthClientAvailable ? (
          <p>
            No global OAuth client is configured (ZENDESK_OAUTH_CLIENT_ID and ZENDESK_OAUTH_CLIENT_SECRET): connect with your account&apos;s own client below.
          </p>
        ) : null}
        <ClientCredentialsForm onConnected={load} />
      </Section>
      <Section title="2. Cluster ID field">
        <Stack>
          <Row>
            <SelectField
              name="fieldId"
              label="Ticket field holding the Cluster ID"
              value={fieldId}
              options={[
                { value: '', label: 'Choose a text field…' },
                ...fields.map((field) => ({ value: String(field.id), label: `${field.title} (${field.id})` })),
              ]}
              onChange={setFieldId}
              error={fieldForm.fieldErrors.fieldId}
            />
            <Button
              onClick={async () => {
                if (await fieldForm.submit(() => put('/zendesk/cluster-field', { fieldId: fieldId ? Number(fieldId) : null }))) {
                  setNotice('Cluster ID field saved.')
                  await load()
                }
              }}
            >
              Use this field
            </Button>
          </Row>
          <Row>
            <TextField name="title" label="…or create a text field" value={newTitle} onChange={setNewTitle} error={createForm.fieldErrors.title} />
            <Button
              onClick={async () => {
                if (await createForm.submit(() => post('/zendesk/cluster-field', { title: newTitle }))) {
                  setNotice('Cluster ID field created.')
                  await load()
                }
              }}
            >
              Create field
            </Button>
          </Row>
          {notice ? <Alert type="success">{notice}</Alert> : null}
        </Stack>
      </Section>
      <Section title="3. The sidebar app's shared secret">
        <p>
          {settings.appSecretSet ? 'A shared secret is set.' : 'No shared secret yet.'} Generating a new one replaces it: paste it into the app's settings in
          Zendesk.
        </p>
        {confirming ? (
          <Alert type="warning" role="alertdialog" aria-labelledby="rotate-title" data-testid="rotate-confirmation">
            <Title id="rotate-title">{settings.appSecretSet ? 'Replace the shared secret?' : 'Generate the shared secret?'}</Title>
            {settings.appSecretSet
              ? 'The current secret stops working at once: every agent’s PSA Link sidebar shows an error until the new secret is pasted into the app’s settings in Zendesk (Admin Center › Apps › PSA Link › Settings).'
              : 'Paste it into the app’s settings in Zendesk (Admin Center › Apps › PSA Link › Settings) right after; it is shown only once.'}
            <Row>
              <Button
                isDanger={settings.appSecretSet}
                isPrimary={!settings.appSecretSet}
                onClick={async () => {
                  setConfirming(false)
                  const created = await actions.submit(() => post<{ sharedSecret: string }>('/zendesk/app-secret'))
                  setSecret(created?.sharedSecret ?? null)
                  if (created) await load()
                }}
              >
                {settings.appSecretSet ? 'Replace the shared secret' : 'Generate it'}
              </Button>
              <Button isBasic onClick={() => setConfirming(false)}>
                Cancel
              </Button>
            </Row>
          </Alert>
        ) : (
          <Button onClick={() => setConfirming(true)}>Generate shared secret</Button>
        )}
        {secret ? (
          <Well style={{ marginTop: 12 }}>
            <Title>Shown once — copy it now</Title>
            <code data-testid="app-secret">{secret}</code>
          </Well>
        ) : null}
      </Section>
      <Section title="4. Webhook">
        <p>
          {settings.webhookId ? `Registered (id ${settings.webhookId}).` : 'Not registered.'} Zendesk will call {settings.webhookEndpoint} when tickets change.
        </p>
        <Button
          onClick={async () => {
            if (await actions.submit(() => post('/zendesk/webhook'))) await load()
          }}
        >
          {settings.webhookId ? 'Register again' : 'Register webhook'}
        </Button>
      </Section>
      <Section title="5. Link by hand in the sidebar">
        <ManualLinkForm current={settings.sidebarManualLink} onSaved={load} />
      </Section>
      {settings.auth ? <LinkVisibilitySection title="6. The Autotask ticket in Zendesk" /> : null}
    </div>
  )
}
