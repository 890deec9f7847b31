import nodemailer from 'nodemailer'

export interface SmtpServer {
  host: string
  port: number
  secure: boolean
  username: string | null
  password: string | null
  from: string
}

const TIMEOUT_MS = 10_000

/** Sends one plain-text email through `smtp`. */
export async function sendAlertEmail(smtp: SmtpServer, to: string, subject: string, text: string): Promise<void> {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.username ? { auth: { user: smtp.username, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  })
  try {
    await transport.sendMail({ from: smtp.from, to, subject, text })
  } finally {
    transport.close()
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost'])

/**
 * Whether a webhook URL may be posted to: https only (the payload names the account's trouble),
 * or a loopback http address when `allowLoopback` (tests). Returns the reason when not.
 */
export function webhookUrlProblem(raw: string, allowLoopback: boolean): string | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'Enter the webhook’s full URL, starting with https://.'
  }
  if (url.username || url.password) return 'A webhook URL carries no user name or password.'
  if (url.protocol === 'https:') return null
  if (allowLoopback && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return null
  return 'Webhooks are posted over https only.'
}

/**
 * Posts `{"text": …}` (what Slack and Teams incoming webhooks read). Redirects are never followed:
 * a 3xx is a failure, so the alert cannot be bounced to another address.
 */
export async function postAlertWebhook(url: string, text: string, allowLoopback: boolean): Promise<void> {
  const problem = webhookUrlProblem(url, allowLoopback)
  if (problem) throw new Error(problem)
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
    redirect: 'manual',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  })
  await response.body?.cancel()
  if (response.status >= 300 && response.status < 400)
    throw new Error(`The webhook answered with a redirect (HTTP ${response.status}); redirects are not followed.`)
  if (!response.ok) throw new Error(`The webhook answered HTTP ${response.status}.`)
}
