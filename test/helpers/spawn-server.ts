import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { ConfigSchema } from '../../server/src/config'

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
// By path, so that the child finds the TypeScript loader whatever its working directory.
export const TSX_LOADER = pathToFileURL(`${REPO_ROOT}node_modules/tsx/dist/loader.mjs`).href
const CONFIG_NAMES = Object.keys(ConfigSchema.properties)

export interface SpawnedProcess {
  child: ChildProcess
  /** Everything the process printed so far (stdout and stderr). */
  output(): string
  /** Resolves with the first match of `pattern` in the output, or rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>
}

/**
 * The environment a spawned server sees: the test's own variables and nothing of PSA Link's
 * configuration that the test did not choose. The launchers read a `.env` (server.ts from its working
 * directory, launch.mjs from the repository root), and `process.loadEnvFile` never overrides a
 * variable that is already set, while PSA Link counts an empty variable as unset: so every
 * configuration variable the test leaves out (or passes as undefined) is set empty, and neither a
 * developer's `.env` nor the shell that runs the tests can configure the spawned server.
 */
export function spawnedEnvironment(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const fullEnv: NodeJS.ProcessEnv = { ...process.env }
  for (const name of CONFIG_NAMES) fullEnv[name] = ''
  // Loopback unless the test says otherwise (the sandbox server reads HOST without the config schema).
  fullEnv.HOST = '127.0.0.1'
  for (const [key, value] of Object.entries(env)) fullEnv[key] = value ?? ''
  return fullEnv
}

/**
 * Runs an entry point of the repository (TypeScript source or built JavaScript; relative to the
 * repository root or absolute) in a child process, as `npm start` would, with the environment of
 * `spawnedEnvironment` and, unless `cwd` says otherwise, the repository root as working directory.
 */
export function spawnEntryPoint(
  entry: string,
  env: Record<string, string | undefined>,
  nodeArgs: string[] = [],
  options: { cwd?: string } = {},
): SpawnedProcess {
  // A built entry (dist/…/*.js) runs on node alone, as in production; sources through tsx.
  const loader = entry.endsWith('.ts') ? ['--import', TSX_LOADER] : []
  const child = spawn(process.execPath, [...loader, ...nodeArgs, path.resolve(REPO_ROOT, entry)], {
    cwd: options.cwd ?? REPO_ROOT,
    env: spawnedEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
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
