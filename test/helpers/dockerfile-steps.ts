import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

/** One instruction of a Dockerfile, continuation lines joined. */
export interface DockerInstruction {
  keyword: string
  args: string
}

export function parseDockerfile(text: string): DockerInstruction[] {
  const logical: string[] = []
  let current = ''
  for (const line of text.split('\n')) {
    if (current === '' && /^\s*(#|$)/.test(line)) continue
    if (/^\s*#/.test(line)) continue
    const continued = /\\\s*$/.test(line)
    current += `${continued ? line.replace(/\\\s*$/, '') : line} `
    if (!continued) {
      logical.push(current.trim())
      current = ''
    }
  }
  return logical.map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/)
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') }
  })
}

/** A stage as built: a folder standing for its WORKDIR, and its ENV. */
export interface BuiltStage {
  name: string
  dir: string
  workdir: string
  env: Record<string, string>
}

export interface DockerfileRun {
  stages: BuiltStage[]
  /** The final stage's CMD and HEALTHCHECK command, exec form. */
  cmd: string[]
  healthcheck: string[]
  /** Every RUN as it was carried out, for the test's messages. */
  log: string[]
}

export interface RunOptions {
  /** The build context: a clean copy of the repository. */
  context: string
  /** Stands in for `npm ci` (a full install takes minutes): prepares node_modules in a stage folder. */
  install(stageDir: string, command: string): void
  /** Environment for RUN commands besides the stage's ENV (PATH, HOME). */
  baseEnv: Record<string, string>
}

function execForm(args: string, keyword: string): string[] {
  const json = args.replace(/^(--\S+\s+)*/, '').replace(/^CMD\s+/, '')
  if (!json.startsWith('[')) throw new Error(`${keyword} must use the exec form (a JSON array), so node is PID 1: ${args}`)
  return JSON.parse(json) as string[]
}

function parseEnv(args: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const token of args.split(/\s+/).filter(Boolean)) {
    const [key, ...value] = token.split('=')
    if (!key || value.length === 0) throw new Error(`ENV in the legacy "KEY value" form is not supported: ${args}`)
    env[key] = value.join('=')
  }
  return env
}

/**
 * Carries out a Dockerfile's instructions on this machine, in order: each stage is a temporary
 * folder standing for its WORKDIR; COPY copies from the context or an earlier stage; RUN runs
 * through `sh -c` in the stage folder with the stage's ENV, except `npm ci`, handed to `install`,
 * and `npm cache clean` (it would empty this machine's npm cache). Instructions that only matter
 * to a container engine (ARG, USER, EXPOSE, LABEL) are skipped.
 */
export function runDockerfile(text: string, options: RunOptions): DockerfileRun {
  const stages: BuiltStage[] = []
  const log: string[] = []
  let cmd: string[] = []
  let healthcheck: string[] = []
  const stage = (): BuiltStage => {
    const last = stages.at(-1)
    if (!last) throw new Error('an instruction comes before FROM')
    return last
  }
  for (const { keyword, args } of parseDockerfile(text)) {
    switch (keyword) {
      case 'ARG':
      case 'USER':
      case 'EXPOSE':
      case 'LABEL':
        break
      case 'FROM': {
        const name = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? String(stages.length)
        stages.push({ name, dir: mkdtempSync(path.join(tmpdir(), `psa-link-stage-${name}-`)), workdir: '/', env: {} })
        break
      }
      case 'WORKDIR':
        stage().workdir = args.trim()
        break
      case 'ENV':
        Object.assign(stage().env, parseEnv(args))
        break
      case 'COPY': {
        const tokens = args.split(/\s+/)
        const from = tokens.find((token) => token.startsWith('--from='))?.slice('--from='.length)
        const paths = tokens.filter((token) => !token.startsWith('--'))
        const destination = paths.pop()
        if (!destination || paths.length === 0) throw new Error(`COPY needs a source and a destination: ${args}`)
        const source = from ? stages.find((candidate) => candidate.name === from) : undefined
        if (from && !source) throw new Error(`COPY --from=${from}: no such stage`)
        for (const item of paths) {
          const origin = source ? path.join(source.dir, path.relative(source.workdir, item)) : path.join(options.context, item)
          const target = path.join(stage().dir, destination.endsWith('/') && item !== '.' ? path.join(destination, path.basename(item)) : destination)
          mkdirSync(path.dirname(target), { recursive: true })
          cpSync(origin, target, { recursive: true })
        }
        break
      }
      case 'RUN':
        for (const command of args.split('&&').map((part) => part.trim())) {
          log.push(command)
          if (/^npm ci\b/.test(command)) options.install(stage().dir, command)
          else if (/^npm cache clean\b/.test(command)) continue
          else execFileSync('sh', ['-c', command], { cwd: stage().dir, env: { ...options.baseEnv, ...stage().env }, stdio: 'pipe' })
        }
        break
      case 'HEALTHCHECK':
        healthcheck = execForm(args, keyword)
        break
      case 'CMD':
        cmd = execForm(args, keyword)
        break
      default:
        throw new Error(`The steps test cannot carry out ${keyword}: keep the Dockerfile to FROM, WORKDIR, ENV, COPY, RUN, USER, EXPOSE, HEALTHCHECK and CMD`)
    }
  }
  return { stages, cmd, healthcheck, log }
}

/** A copy of the working tree without what git ignores (node_modules, dist, .data …): what a fresh clone has. */
export function cleanCopyOfRepository(repoRoot: string): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'psa-link-context-'))
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean)
  for (const file of files) {
    if (!existsSync(path.join(repoRoot, file))) continue
    mkdirSync(path.dirname(path.join(copy, file)), { recursive: true })
    cpSync(path.join(repoRoot, file), path.join(copy, file))
  }
  return copy
}

/**
 * What `npm ci` would leave, without its minutes of downloading: node_modules in `stageDir` whose
 * entries link to this checkout's installed packages, except the workspace packages (@psa-link/*),
 * which link to the stage's own folders as npm links them.
 */
export function linkInstalledPackages(repoRoot: string, stageDir: string): void {
  const installed = path.join(repoRoot, 'node_modules')
  const target = path.join(stageDir, 'node_modules')
  mkdirSync(target, { recursive: true })
  for (const entry of readdirSync(installed)) {
    if (entry === '@psa-link') {
      mkdirSync(path.join(target, entry))
      for (const workspace of readdirSync(path.join(installed, entry))) {
        symlinkSync(readlinkSync(path.join(installed, entry, workspace)), path.join(target, entry, workspace))
      }
    } else if (!entry.startsWith('.vite')) {
      symlinkSync(path.join(installed, entry), path.join(target, entry))
    }
  }
  for (const workspace of ['shared', 'server', 'server/sandbox', 'zendesk-app']) {
    const nested = path.join(repoRoot, workspace, 'node_modules')
    if (existsSync(nested) && existsSync(path.join(stageDir, workspace)) && !existsSync(path.join(stageDir, workspace, 'node_modules'))) {
      symlinkSync(nested, path.join(stageDir, workspace, 'node_modules'))
    }
  }
}
