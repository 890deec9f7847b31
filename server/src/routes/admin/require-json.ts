import type { preValidationAsyncHookHandler } from 'fastify'
import { AdminError } from '../../admin/admin-error'

/**
 * Sign-in, setup and Zendesk sign-in take JSON only: a JSON body cannot be sent cross-site without a
 * CORS preflight, which this API never grants. Checked before the schema, so a form post is told this.
 */
export const requireJson =
  (message: string): preValidationAsyncHookHandler =>
  async (request) => {
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) throw new AdminError(415, 'json_required', message)
  }
