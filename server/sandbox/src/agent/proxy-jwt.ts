import { createHmac } from 'node:crypto'

function base64Url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url')
}

/** An HS256 JWT, the way Zendesk's request proxy signs the `jwt` option of `client.request`. */
export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const header = base64Url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
  const payload = base64Url(JSON.stringify(claims))
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')
  return `${header}.${payload}.${signature}`
}
