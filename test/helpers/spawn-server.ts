import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface SpawnedProcess {
  child: ChildProcess
  /** Everything the process printed so far (stdout and stderr). */
  output(): string
  /** Resolves with the first match of `pattern` in the output, or rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>
}

/** Runs an entry point of the repository (TypeScript source or built JavaScript) in a child process, as `npm start` would. */
export function spawnEntryPoint(entry: string, env: Record<string, string | undefined>, nodeArgs: string[] = []): SpawnedProcess {
  const fullEnv: NodeJS.ProcessEnv = { ...process.env, ...env }
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete fullEnv[key]
  // A built entry (dist/…/*.js) runs on node alone, as in production; sources through tsx.
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : []
  const child = spawn(process.execPath, [...loader, ...nodeArgs, entry], { cwd: REPO_ROOT, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  let text = ''
  const listeners = new Set<() => void>()
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8')
    for (const listener of listeners) listener()
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', onData)
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    child,
    output: () => text,
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = text.match(pattern)
          if (!match) return false
          cleanup()
          resolve(match)
          return true
        }
        const timer = setTimeout(() => {
          cleanup()
          reject(new Error(`timed out waiting for ${pattern} in:\n${text}`))
        }, timeoutMs)
        const onExit = () => {
          if (check()) return
          cleanup()
          reject(new Error(`process exited before printing ${pattern}:\n${text}`))
        }
        const cleanup = () => {
          clearTimeout(timer)
          listeners.delete(check)
          child.off('exit', onExit)
        }
        if (check()) return
        listeners.add(check)
        child.on('exit', onExit)
      })
    },
  }
}
