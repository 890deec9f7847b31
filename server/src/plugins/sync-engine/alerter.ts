import fp from 'fastify-plugin'
import type { Config } from '../../config'
import { createAlertsRepository } from '../../db/repositories/alerts-repository'
import { createAlerter, type Alerter } from '../../jobs/alerts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Alerts to the accounts' targets (email, webhooks). */
    alerter: Alerter
  }
}

export interface AlerterPluginOptions {
  config: Config
}

export default fp<AlerterPluginOptions>(
  async (app, { config }) => {
    app.decorate(
      'alerter',
      createAlerter({
        repository: createAlertsRepository(app.db.pool, app.secrets),
        environmentSmtp:
          config.SMTP_HOST && config.SMTP_FROM
            ? {
                host: config.SMTP_HOST,
                port: config.SMTP_PORT,
                secure: config.SMTP_SECURE,
                username: config.SMTP_USER ?? null,
                password: config.SMTP_PASSWORD ?? null,
                from: config.SMTP_FROM,
              }
            : null,
        periodMinutes: config.ALERT_PERIOD_MINUTES,
        problemThreshold: config.ALERT_PROBLEM_THRESHOLD,
        allowLoopbackWebhooks: config.NODE_ENV === 'test',
        log: app.log,
      }),
    )
  },
  { name: 'alerter', dependencies: ['database', 'secrets'] },
)
