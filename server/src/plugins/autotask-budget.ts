import fp from 'fastify-plugin'
import type { Config } from '../config'
import { AUTOTASK_HOURLY_LIMIT } from './sync-engine/context-factory'

declare module 'fastify' {
  interface FastifyInstance {
    /** PSA Link's share of Autotask's hourly limit, per connection (as the request gate counts it). */
    autotaskHourlyLimit: number
  }
}

export interface AutotaskBudgetPluginOptions {
  config: Pick<Config, 'AUTOTASK_BUDGET_SHARE'>
}

export default fp<AutotaskBudgetPluginOptions>(
  async (app, { config }) => {
    app.decorate('autotaskHourlyLimit', Math.floor(AUTOTASK_HOURLY_LIMIT * config.AUTOTASK_BUDGET_SHARE))
  },
  { name: 'autotask-budget' },
)
