export interface BannerInput {
  version: string
  origin: string
  database: string
  /** The sandbox's own lines (what to open, demo logins); empty when it is not mounted. */
  sandboxLines: string[]
  /** How to create the first administrator, while the installation has none. */
  firstAdmin: string | null
}

/**
 * The start-up banner a newcomer reads in the terminal: plain text, printed last, after the log
 * lines of start-up, so what to open is the last thing on the screen.
 */
export function formatBanner(input: BannerInput): string {
  const lines = [
    '',
    `  PSA Link ${input.version} is running at ${input.origin}`,
    '',
    `  Start here      ${input.origin}/`,
    `  Admin console   ${input.origin}/admin/`,
    `  API docs        ${input.origin}/docs`,
    `  Health          ${input.origin}/health   Metrics ${input.origin}/metrics`,
    `  Database        ${input.database}`,
  ]
  if (input.sandboxLines.length > 0) lines.push('', ...input.sandboxLines.map((line) => `  ${line}`))
  if (input.firstAdmin) lines.push('', `  ${input.firstAdmin}`)
  lines.push('', '  Ctrl-C stops PSA Link cleanly.', '')
  return lines.join('\n')
}
