import { Button } from '@zendeskgarden/react-buttons'
import { useState } from 'react'
import { post, setCsrfToken } from '../api'
import { FormError, Stack, TextField, useSubmit } from '../components/forms'
import { ZendeskSignIn } from './ZendeskSignIn'

export function SignIn({ onSignedIn, setupLink, query }: { onSignedIn(): void; setupLink: boolean; query: URLSearchParams }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [zendesk, setZendesk] = useState('')
  const { fieldErrors, error, busy, submit } = useSubmit()
  return (
    <>
      <h1>Sign in to PSA Link</h1>
      <ZendeskSignIn query={query} />
      <form
        aria-labelledby="password-sign-in"
        style={{ marginTop: 40 }}
        onSubmit={async (event) => {
          event.preventDefault()
          const result = await submit(() => post<{ csrfToken: string }>('/session', { email, password, ...(zendesk.trim() ? { zendesk } : {}) }))
          if (result) {
            setCsrfToken(result.csrfToken)
            onSignedIn()
          }
        }}
      >
        <Stack>
          <h2 id="password-sign-in" style={{ fontSize: 18, margin: 0 }}>
            Or with a PSA Link password
          </h2>
          <TextField name="email" label="Email" value={email} onChange={setEmail} error={fieldErrors.email} />
          <TextField name="password" label="Password" type="password" value={password} onChange={setPassword} error={fieldErrors.password} />
          <TextField
            name="zendesk"
            label="Zendesk account (optional)"
            hint="Only if your email is an admin of several Zendesk accounts: the subdomain, such as acme."
            value={zendesk}
            onChange={setZendesk}
            error={fieldErrors.zendesk}
          />
          {!fieldErrors.password && !fieldErrors.email && !fieldErrors.zendesk ? <FormError message={error} /> : null}
          <div>
            <Button type="submit" isPrimary disabled={busy}>
              Sign in
            </Button>
          </div>
          {setupLink ? (
            <p>
              Installing PSA Link for your own Zendesk? <a href="#/setup">Create the first administrator</a> with the setup code printed at start-up.
            </p>
          ) : null}
        </Stack>
      </form>
    </>
  )
}

export function ChangePassword({ forced, onChanged }: { forced: boolean; onChanged(): void }) {
  const [currentPassword, setCurrent] = useState('')
  const [newPassword, setNew] = useState('')
  const [repeatPassword, setRepeat] = useState('')
  const { fieldErrors, error, busy, submit } = useSubmit()
  return (
    <form
      onSubmit={async (event) => {
        event.preventDefault()
        if (await submit(() => post('/password', { currentPassword, newPassword, repeatPassword }))) onChanged()
      }}
    >
      <Stack>
        <h1>Choose a new password</h1>
        {forced ? <p>This is your first sign-in: choose your own password before you continue.</p> : null}
        <TextField
          name="currentPassword"
          label="Current password"
          type="password"
          value={currentPassword}
          onChange={setCurrent}
          error={fieldErrors.currentPassword}
        />
        <TextField
          name="newPassword"
          label="New password"
          type="password"
          hint="At least 12 characters, different from the current one."
          value={newPassword}
          onChange={setNew}
          error={fieldErrors.newPassword}
        />
        <TextField
          name="repeatPassword"
          label="New password again"
          type="password"
          value={repeatPassword}
          onChange={setRepeat}
          error={fieldErrors.repeatPassword}
        />
        {Object.keys(fieldErrors).length === 0 ? <FormError message={error} /> : null}
        <div>
          <Button type="submit" isPrimary disabled={busy}>
            Save password
          </Button>
        </div>
      </Stack>
    </form>
  )
}
