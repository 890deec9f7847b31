import { spawnEntryPoint, type SpawnedProcess } from './spawn-server'

/** The emulators driven over HTTP, as a test in another process (or the real services' clients) would. */
export interface SandboxHttp {
  origin: string
  zendesk<T = unknown>(method: string, path: string, body?: unknown): Promise<T>
  autotaskControl<T = unknown>(method: string, path: string, body?: unknown): Promise<T>
}

/** The emulators in a process of their own (`npm run sandbox`). */
export interface RemoteSandbox extends SandboxHttp {
  process: SpawnedProcess
  stop(): Promise<void>
}

const ZENDESK_AUTH = 'Bearer sandbox-oauth-token'

export function sandboxHttp(origin: string): SandboxHttp {
  const call = async <T>(url: string, method: string, body: unknown, headers: Record<string, string>): Promise<T> => {
    const response = await fetch(url, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text}`)
    return (text ? JSON.parse(text) : undefined) as T
  }
  return {
    origin,
    zendesk: (method, path, body) => call(`${origin}/sandbox/zendesk${path}`, method, body, { authorization: ZENDESK_AUTH }),
    autotaskControl: (method, path, body) => call(`${origin}/sandbox/autotask/_control${path}`, method, body, {}),
  }
}

export async function startRemoteSandbox(): Promise<RemoteSandbox> {
  const child = spawnEntryPoint('server/sandbox/src/sandbox-server.ts', { PORT: '0', ZENDESK_EXPORT_LAG_SECONDS: '0', LOG_LEVEL: 'warn' })
  const [, origin] = await child.waitFor(/sandbox listening at (http:\/\/[\d.]+:\d+)/, 60_000)
  return {
    ...sandboxHttp(origin!),
    process: child,
    async stop() {
      child.child.kill('SIGTERM')
      await child.exited
    },
  }
}
