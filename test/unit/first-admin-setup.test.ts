import { randomBytes } from 'node:crypto'
import { firstAdminSetupCode, isSetupCode, zendeskSubdomainOf } from '../../server/src/admin/first-admin-setup'
import { createSecretBox } from '../../server/src/security/secret-box'

describe('first-admin setup code and Zendesk address', () => {
  it('gives one readable code per secret key, the same in every instance, and accepts it however it is typed', () => {
    const key = randomBytes(32)
    const code = firstAdminSetupCode(createSecretBox(key))
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/)
    expect(firstAdminSetupCode(createSecretBox(Buffer.from(key)))).toBe(code)
    expect(firstAdminSetupCode(createSecretBox(randomBytes(32)))).not.toBe(code)
    expect(isSetupCode(code.toLowerCase().replaceAll('-', ' '), code)).toBe(true)
    expect(isSetupCode(code.slice(0, -1), code)).toBe(false)
    expect(isSetupCode('', code)).toBe(false)
  })

  it('finds the subdomain in what people paste, and refuses what cannot be one', () => {
    expect(zendeskSubdomainOf('acme')).toBe('acme')
    expect(zendeskSubdomainOf(' Acme.Zendesk.com ')).toBe('acme')
    expect(zendeskSubdomainOf('https://acme-eu.zendesk.com/agent/tickets/12')).toBe('acme-eu')
    expect(zendeskSubdomainOf('acme.zendesk.com/agent')).toBe('acme')
    for (const bad of ['', 'acme corp', '-acme', 'acme-', 'https://', 'a'.repeat(64), 'acme.example.com']) expect(zendeskSubdomainOf(bad)).toBeNull()
  })
})
