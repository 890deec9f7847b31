import { appendFileSync } from 'node:fs'

const logFile = process.env.PSA_LINK_MODULE_LOG

/** Module resolution hook: records each resolved URL, changes nothing. */
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context)
  if (logFile) appendFileSync(logFile, `${result.url}\n`)
  return result
}
