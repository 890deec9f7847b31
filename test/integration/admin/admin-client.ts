import { hashPassword } from '../../../server/src/admin/passwords'
import type { TestStack } from '../../helpers/test-stack'

export interface AdminResponse {
  status: number
  body: Record<string, unknown> & { code?: string; message?: string; fieldErrors?: Record<string, string> }
  headers: Headers
}

/** A browser-like client of /admin/api: keeps the session cookie and sends the CSRF token it was given. */
export function adminClient(origin: string) {
  let cookie = ''
  let csrf = ''
  async function call(method: string, path: string, body?: unknown, options: { csrf?: boolean; redirect?: RequestRedirect } = {}): Promise<AdminResponse> {
    const headers: Record<string, string> = {}
    if (cookie) headers.cookie = cookie
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (csrf && options.csrf !== false && method !== 'GET') headers['x-csrf-token'] = csrf
    const response = await fetch(`${origin}${path}`, { method, headers, redirect: options.redirect ?? 'manual', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
    const set = response.headers.getSetCookie().find((value) => value.startsWith('psa_link_admin='))
    if (set) cookie = set.split(';')[0]!.endsWith('=') ? '' : set.split(';')[0]!
    const text = await response.text()
    let parsed: AdminResponse['body'] = {}
    try {
      parsed = text ? (JSON.parse(text) as AdminResponse['body']) : {}
    } catch {
      parsed = { text }
    }
    return { status: response.status, body: parsed, headers: response.headers }
  }
  return {
    call,
    get: (path: string) => call('GET', `/admin/api${path}`),
    post: (path: string, body: unknown = {}, options?: { csrf?: boolean }) => call('POST', `/admin/api${path}`, body, options),
    put: (path: string, body: unknown) => call('PUT', `/admin/api${path}`, body),
    delete: (path: string) => call('DELETE', `/admin/api${path}`),
    async signIn(email: string, password: string): Promise<AdminResponse> {
      const response = await call('POST', '/admin/api/session', { email, password })
      if (response.status === 200) csrf = String(response.body.csrfToken)
      return response
    },
    cookie: () => cookie,
    csrf: () => csrf,
  }
}

export type AdminClient = ReturnType<typeof adminClient>

let counter = 0

/** An admin login straight in the database (password already chosen unless `mustChange`). */
export async function createAdmin(stack: TestStack, input: { accountId?: number; connectionId?: number | null; mustChange?: boolean } = {}) {
  counter += 1
  const email = `admin${counter}-${Date.now()}@example.test`
  const password = `correct horse ${counter} battery`
  await stack.database.pool.query(
    'INSERT INTO admin_users (zendesk_account_id, connection_id, email, password_hash, must_change_password) VALUES ($1, $2, $3, $4, $5)',
    [input.accountId ?? stack.accountId, input.connectionId ?? null, email, await hashPassword(password), input.mustChange ?? false],
  )
  return { email, password }
}

export async function signedIn(stack: TestStack, input: Parameters<typeof createAdmin>[1] = {}): Promise<AdminClient> {
  const { email, password } = await createAdmin(stack, input)
  const client = adminClient(stack.origin)
  const response = await client.signIn(email, password)
  if (response.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(response.body)}`)
  return client
}
