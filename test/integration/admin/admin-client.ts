import { hashPassword } from '../../../server/src/admin/passwords'
import type { TestStack } from '../../helpers/test-stack'

export interface AdminResponse {
  status: number
  body: Record<string, unknown> & { code?: string; message?: string; fieldErrors?: Record<string, string> }
  headers: Headers
}

interface StoredCookie {
  value: string
  path: string
  sameSite: 'strict' | 'lax' | 'none'
}

/**
 * A browser-like client of /admin/api: keeps its cookies (by path, with their SameSite) and sends
 * the CSRF token it was given. `crossSite` sends what a browser sends on a top-level navigation from
 * another site (zendesk.com): the SameSite=Lax and None cookies only.
 */
export function adminClient(origin: string) {
  const jar = new Map<string, StoredCookie>()
  let csrf = ''
  async function call(
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: boolean; redirect?: RequestRedirect; crossSite?: boolean } = {},
  ): Promise<AdminResponse> {
    const headers: Record<string, string> = {}
    const pathname = path.split('?')[0]!
    const cookies = [...jar].filter(([, cookie]) => pathname.startsWith(cookie.path) && (!options.crossSite || cookie.sameSite !== 'strict'))
    if (cookies.length > 0) headers.cookie = cookies.map(([name, cookie]) => `${name}=${cookie.value}`).join('; ')
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (csrf && options.csrf !== false && method !== 'GET') headers['x-csrf-token'] = csrf
    const response = await fetch(`${origin}${path}`, {
      method,
      headers,
      redirect: options.redirect ?? 'manual',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    })
    for (const set of response.headers.getSetCookie()) {
      const [pair, ...attributes] = set.split(';').map((part) => part.trim())
      const [name, value = ''] = pair!.split(/=(.*)/s) as [string, string?]
      const attribute = (key: string) => attributes.find((part) => part.toLowerCase().startsWith(`${key}=`))?.split('=')[1]
      const expired = attribute('max-age') === '0' || value === '' || /expires=thu, 01 jan 1970/i.test(set)
      if (expired) jar.delete(name)
      else jar.set(name, { value, path: attribute('path') ?? '/', sameSite: (attribute('samesite')?.toLowerCase() ?? 'lax') as StoredCookie['sameSite'] })
    }
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
    /** Reads the session a cookie already holds (after "Sign in with Zendesk") and takes its CSRF token. */
    async resume(): Promise<AdminResponse> {
      const response = await call('GET', '/admin/api/session')
      if (response.status === 200) csrf = String(response.body.csrfToken)
      return response
    },
    cookie: () => (jar.has('psa_link_admin') ? `psa_link_admin=${jar.get('psa_link_admin')!.value}` : ''),
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
