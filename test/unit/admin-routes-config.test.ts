import Fastify from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import adminRoutes, { type AdminRoutesOptions } from '../../server/src/routes/admin'

describe('the admin routes’ configuration', () => {
  const saved = process.env.AUTOTASK_BUDGET_SHARE
  afterEach(() => {
    if (saved === undefined) delete process.env.AUTOTASK_BUDGET_SHARE
    else process.env.AUTOTASK_BUDGET_SHARE = saved
  })

  it('fails to start, saying so, when the admin routes are given no configuration (even with an invalid environment)', async () => {
    // An environment loadConfig() refuses: it must neither be read here nor replaced by defaults.
    process.env.AUTOTASK_BUDGET_SHARE = 'not a number'
    const app = Fastify({ logger: false })
    await expect(app.register(adminRoutes, { prefix: '/admin' } as unknown as AdminRoutesOptions)).rejects.toThrow(
      'the admin routes need the app configuration (options.config)',
    )
    await app.close()
  })
})
