import type { FastifyBaseLogger } from 'fastify'
import { postAlertWebhook, sendAlertEmail, type SmtpServer } from '../adapters/alerts/alert-delivery'
import type { AlertTarget, AlertsRepository } from '../db/repositories/alerts-repository'

export interface Alert {
  /** What it is about, for the once-per-period rule, e.g. `connection_failing:12`. */
  topic: string
  subject: string
  text: string
}

export interface AlerterOptions {
  repository: AlertsRepository
  /** The environment's SMTP server, used by accounts without one of their own. */
  environmentSmtp: SmtpServer | null
  periodMinutes: number
  /** Problems waiting at once that count as piling up. */
  problemThreshold: number
  /** Webhooks to http://127.0.0.1 (tests only). */
  allowLoopbackWebhooks: boolean
  log: FastifyBaseLogger
}

export type Alerter = ReturnType<typeof createAlerter>

/**
 * Sends alerts to an account's targets, each topic at most once per period per target. A failed
 * delivery is logged and kept on the target (the console shows it); it never fails the sync.
 */
export function createAlerter(options: AlerterOptions) {
  const { repository } = options

  async function smtpFor(accountId: number): Promise<SmtpServer | null> {
    return (await repository.smtp(accountId)) ?? options.environmentSmtp
  }

  async function deliver(target: AlertTarget, alert: Alert): Promise<void> {
    if (target.kind === 'webhook') return postAlertWebhook(target.address, `${alert.subject}\n${alert.text}`, options.allowLoopbackWebhooks)
    const smtp = await smtpFor(target.accountId)
    if (!smtp) throw new Error('No SMTP server is set up: enter one in Alerts, or set SMTP_HOST and SMTP_FROM.')
    return sendAlertEmail(smtp, target.address, alert.subject, alert.text)
  }

  /** Sends `alert` to every target of the account that has not had its topic within the period. */
  async function notify(accountId: number, alert: Alert): Promise<void> {
    for (const target of await repository.targets(accountId)) {
      if (!(await repository.claimSend(target.id, alert.topic, options.periodMinutes))) continue
      try {
        await deliver(target, alert)
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        await repository.recordSendResult(target.id, alert.topic, message)
        options.log.warn({ targetId: target.id, kind: target.kind, topic: alert.topic }, `alert not delivered: ${message}`)
      }
    }
  }

  return {
    repository,
    smtpFor,
    notify,

    /** "Send test": now, whatever the period; throws the delivery's error for the console. */
    async sendTest(target: AlertTarget): Promise<void> {
      try {
        await deliver(target, { topic: 'test', subject: 'PSA Link test alert', text: 'This is a test alert from PSA Link: alerts reach this address.' })
        await repository.recordSendResult(target.id, 'test', null)
      } catch (error) {
        await repository.recordSendResult(target.id, 'test', error instanceof Error ? error.message : String(error))
        throw error
      }
    },

    /** After a cycle: alerts when the account's open problems reach the threshold. */
    async checkProblems(accountId: number, subdomain: string): Promise<void> {
      const open = await repository.openProblemCount(accountId)
      if (open < options.problemThreshold) return
      await notify(accountId, {
        topic: 'problems_piling',
        subject: `PSA Link (${subdomain}): ${open} problems are waiting`,
        text: `${open} sync problems are open or being retried. See the admin console's error inbox.`,
      })
    },
  }
}
