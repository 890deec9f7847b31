import { configure, render, screen } from '@testing-library/react'
import { App } from '../../zendesk-app/src/app/App'
import { FakeZafClient } from './fake-zaf-client'
import type { FakeZafOptions } from './fake-zaf-client'

// Issue 21: a sidebar whose backend does not know the account, or whose shared secret is empty or
// wrong, is answered 401 (the backend tells none of these apart on purpose). It says so: to an
// admin with a link to the console's onboarding for this subdomain, to an agent whom to ask.
configure({ asyncUtilTimeout: 5_000 })

const refused = () => ({
  fail: { status: 401, responseText: '{"statusCode":401,"error":"Unauthorized","code":"invalid_token","message":"The token is not valid."}' },
})

function renderSidebar(options: Omit<FakeZafOptions, 'route'> & { route?: FakeZafOptions['route'] }) {
  const client = new FakeZafClient({ route: refused, ...options })
  render(<App client={client} />)
  return client
}

describe('the sidebar of an account PSA Link does not know', () => {
  it('offers an admin the console’s onboarding for this subdomain when the backend refuses the sidebar', async () => {
    renderSidebar({ role: 'admin', subdomain: 'globex' })
    const link = await screen.findByRole('link', { name: /Set up PSA Link for globex/ })
    expect(link.getAttribute('href')).toBe('https://psa-link.example.test/admin/#/sign-in?zendesk=globex')
    expect(link.getAttribute('target')).toBe('_blank')
    expect(screen.getByText(/either PSA Link is not set up for globex yet, or the app's shared secret is empty/)).toBeInTheDocument()
    expect(document.querySelector('[data-not-set-up=admin]')).not.toBeNull()
  })

  it('tells an agent to ask a Zendesk admin and offers no set-up link when the backend refuses the sidebar', async () => {
    renderSidebar({ role: 'agent' })
    expect(await screen.findByText(/PSA Link is not set up yet \(or the app's shared secret does not match\); ask a Zendesk admin\./)).toBeInTheDocument()
    expect(screen.queryByRole('link', { name: /Set up PSA Link/ })).toBeNull()
    expect(document.querySelector('[data-not-set-up=agent]')).not.toBeNull()
  })

  it('speaks German to a German agent when the backend refuses the sidebar', async () => {
    renderSidebar({ role: 'agent', locale: 'de' })
    expect(await screen.findByText(/PSA Link ist noch nicht eingerichtet .*bitten Sie einen Zendesk-Admin\./)).toBeInTheDocument()
  })

  it('keeps the ordinary error when the backend refuses an action (403), not the sidebar itself', async () => {
    renderSidebar({ role: 'admin', route: () => ({ fail: { status: 403, responseText: '{"message":"Forbidden"}' } }) })
    expect(await screen.findByText('PSA Link refused the request')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument()
    expect(document.querySelector('[data-not-set-up]')).toBeNull()
  })
})
