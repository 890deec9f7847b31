import { loadConfig } from '../config'
import { createSecretBox } from '../security/secret-box'
import { loadSecretKey } from '../security/secret-key'
import { firstAdminSetupCode } from './first-admin-setup'

/**
 * `npm run setup-code`: prints the first administrator's setup code. In production the code is
 * never written to the log, so whoever sets up a new installation reads it on the server's shell
 * (the same environment and DATA_DIR as the backend, so the same secret key).
 */
try {
  process.loadEnvFile()
} catch {
  // No .env file: the environment alone configures PSA Link.
}
const { key } = await loadSecretKey(loadConfig())
console.log(firstAdminSetupCode(createSecretBox(key)))
