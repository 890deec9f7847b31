import { Button } from '@zendeskgarden/react-buttons'
import { Alert, Title } from '@zendeskgarden/react-notifications'
import { useState } from 'react'
import { post } from '../api'
import { FormError, Stack, TextField, useSubmit } from '../components/forms'
import { SIGN_IN_REFUSALS, type SignInRefusal } from '@psa-link/shared/admin-api'

/**
 * "Sign in with Zendesk": the admin names their Zendesk and is sent to its authorization page. An
 * account PSA Link has never seen is created on the way back, with this admin as its first.
 */
export function ZendeskSignIn({ query }: { query: URLSearchParams }) {
  const [zendesk, setZendesk] = useState(query.get('zendesk') ?? '')
  const { fieldErrors, error, busy, submit } = useSubmit()
  const refusal = query.get('zendesk_error')
  return (
    <form
      aria-labelledby="zendesk-sign-in"
      onSubmit={async (event) => {
        event.preventDefault()
        const started = await submit(() => post<{ authorizeUrl: string }>('/zendesk-sign-in', { zendesk }))
        if (started) window.location.assign(started.authorizeUrl)
      }}
    >
      <Stack>
        <h2 id="zendesk-sign-in" style={{ fontSize: 18, margin: 0 }}>
          Sign in with Zendesk
        </h2>
        <p style={{ margin: 0 }}>
          For Zendesk admins: your Zendesk login is your PSA Link login. The first admin of a Zendesk account to sign in sets PSA Link up for it.
        </p>
        {refusal ? (
          <Alert type="error" role="alert" data-zendesk-refusal={refusal}>
            <Title>Not signed in</Title>
            {SIGN_IN_REFUSALS[refusal as SignInRefusal] ?? SIGN_IN_REFUSALS.zendesk}
          </Alert>
        ) : null}
        <TextField
          name="zendesk-account"
          label="Your Zendesk"
          hint="The subdomain, such as acme, or acme.zendesk.com."
          value={zendesk}
          onChange={setZendesk}
          error={fieldErrors.zendesk}
        />
        {!fieldErrors.zendesk ? <FormError message={error} /> : null}
        <div>
          {/* Not "Sign in …": the password form's button is "Sign in", and tools find buttons by that name. */}
          <Button type="submit" isPrimary disabled={busy}>
            Continue with Zendesk
          </Button>
        </div>
      </Stack>
    </form>
  )
}
