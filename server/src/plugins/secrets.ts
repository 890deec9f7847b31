import fp from 'fastify-plugin'
import type { Config } from '../config'
import { createSealedSecretsRepository } from '../db/repositories/sealed-secrets-repository'
import { createSecretBox, type SecretBox } from '../security/secret-box'
import { loadSecretKey } from '../security/secret-key'

declare module 'fastify' {
  interface FastifyInstance {
    /** Seals and opens the secrets kept in the database (tokens, passwords, shared secrets). */
    secrets: SecretBox
  }
}

export interface SecretsPluginOptions {
  config: Config
}

/** The secret box, from the configured or stored key; legacy values are re-sealed before anything reads one. */
export default fp<SecretsPluginOptions>(
  async (app, { config }) => {
    const { key } = await loadSecretKey(config)
    const secrets = createSecretBox(key)
    // Before anything reads a secret: values from before they were bound to their cell are re-sealed.
    const resealed = await createSealedSecretsRepository(app.db.pool, secrets).resealLegacyValues()
    if (resealed > 0) app.log.info({ resealed }, 'secrets re-sealed, each bound to its row and column')
    app.decorate('secrets', secrets)
  },
  { name: 'secrets', dependencies: ['database'] },
)
