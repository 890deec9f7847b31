import { Button } from '@zendeskgarden/react-buttons'
import { Alert, Title } from '@zendeskgarden/react-notifications'
import { useEffect, useState } from 'react'
import { api, get, put } from '../api'
import { CheckField, FormError, Section, Stack, TextField, useSubmit } from '../components/forms'
import type { Account } from '@psa-link/shared/admin-api'

/** The account itself: how its admins sign in, its links as CSV, and leaving PSA Link. */
export function AccountView({ onRemoved }: { onRemoved(): void }) {
  const [account, setAccount] = useState<Account | null>(null)
  const [confirm, setConfirm] = useState('')
  const passwords = useSubmit()
  const removal = useSubmit()
  useEffect(() => {
    void get<Account>('/account').then(setAccount)
  }, [])
  if (!account) return <p>Loading…</p>
  return (
    <>
      <h1>Account</h1>
      <Section title="How admins sign in">
        <Stack>
          <p style={{ margin: 0 }}>
            Zendesk admins of {account.subdomain} can always sign in with Zendesk. Password logins are for installations that want them.
          </p>
          <CheckField
            name="password-sign-in"
            label="Admins may also sign in with a PSA Link password"
            checked={account.passwordSignIn}
            onChange={async (allowed) => {
              const saved = await passwords.submit(() => put<{ passwordSignIn: boolean }>('/account/password-sign-in', { allowed }))
              if (saved) setAccount({ ...account, passwordSignIn: saved.passwordSignIn })
            }}
          />
          <CheckField
            name="agents-read-only"
            label="Zendesk agents may sign in too, read-only (they see everything here and change nothing)"
            checked={account.agentsReadOnly}
            onChange={async (allowed) => {
              const saved = await passwords.submit(() => put<{ agentsReadOnly: boolean }>('/account/agents-read-only', { allowed }))
              if (saved) setAccount({ ...account, agentsReadOnly: saved.agentsReadOnly })
            }}
          />
          <FormError message={passwords.error} />
        </Stack>
      </Section>
      <Section title="Remove this account from PSA Link">
        <form
          onSubmit={async (event) => {
            event.preventDefault()
            const done = await removal.submit(() => api<{ removed: boolean }>('DELETE', '/account', { confirm }))
            if (done) onRemoved()
          }}
        >
          <Stack>
            <Alert type="warning">
              <Title>This cannot be undone</Title>
              PSA Link removes its webhook and the fields it created in your Zendesk, revokes its Zendesk access, and deletes every link, setting, log and admin
              login of
              {` ${account.subdomain}`}. Tickets in Zendesk and Autotask stay as they are.
            </Alert>
            <p style={{ margin: 0 }}>
              Keep a copy of which Zendesk ticket is linked to which Autotask ticket first:{' '}
              <a href="/admin/api/account/links.csv" download>
                download the links (CSV)
              </a>
              .
            </p>
            <TextField
              name="confirm"
              label={`Type ${account.subdomain} to confirm`}
              value={confirm}
              onChange={setConfirm}
              error={removal.fieldErrors.confirm}
            />
            {!removal.fieldErrors.confirm ? <FormError message={removal.error} /> : null}
            <div>
              <Button type="submit" isDanger disabled={removal.busy}>
                Remove {account.subdomain} and delete its data
              </Button>
            </div>
          </Stack>
        </form>
      </Section>
    </>
  )
}
