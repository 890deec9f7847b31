import { Button } from '@zendeskgarden/react-buttons'
import { useState } from 'react'
import { post, setCsrfToken } from '../api'
import { FormError, Stack, TextField, useSubmit } from '../components/forms'

/**
 * A new installation's first screen: the setup code PSA Link printed at start-up, the team's
 * Zendesk, and the first administrator's own login. Connecting Zendesk and Autotask comes next.
 */
export function FirstAdminSetup({ onDone, onSignIn }: { onDone(): void; onSignIn(): void }) {
  const [setupCode, setSetupCode] = useState('')
  const [zendesk, setZendesk] = useState('')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [repeatPassword, setRepeat] = useState('')
  const { fieldErrors, error, busy, submit } = useSubmit()
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault()
        const result = await submit(() => post<{ csrfToken: string }>('/setup', { setupCode, zendesk, email, password, repeatPassword }))
        if (result) {
          setCsrfToken(result.csrfToken)
          window.location.hash = '/zendesk'
          onDone()
        }
      }}
    >
      <Stack>
        <h1>Set up PSA Link</h1>
        <p>
          Create the first administrator, then connect your Zendesk and add your Autotask connections. From its next start PSA Link no longer mounts the
          sandbox.
        </p>
        <TextField
          name="setupCode"
          label="Setup code"
          hint="Printed by PSA Link at start-up, next to the admin address."
          value={setupCode}
          onChange={setSetupCode}
          error={fieldErrors.setupCode}
        />
        <TextField
          name="zendesk"
          label="Your Zendesk"
          hint="The subdomain, such as acme or acme.zendesk.com."
          value={zendesk}
          onChange={setZendesk}
          error={fieldErrors.zendesk}
        />
        <TextField name="email" label="Your email" value={email} onChange={setEmail} error={fieldErrors.email} />
        <TextField
          name="password"
          label="Password"
          type="password"
          hint="At least 12 characters."
          value={password}
          onChange={setPassword}
          error={fieldErrors.password}
        />
        <TextField
          name="repeatPassword"
          label="Password again"
          type="password"
          value={repeatPassword}
          onChange={setRepeat}
          error={fieldErrors.repeatPassword}
        />
        {Object.keys(fieldErrors).length === 0 ? <FormError message={error} /> : null}
        <div style={{ display: 'flex', gap: 12 }}>
          <Button type="submit" isPrimary disabled={busy}>
            Create administrator
          </Button>
          <Button isBasic onClick={onSignIn}>
            I already have a login
          </Button>
        </div>
      </Stack>
    </form>
  )
}
