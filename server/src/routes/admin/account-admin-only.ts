import type { preValidationAsyncHookHandler } from 'fastify'
import { requireAccountAdmin } from '../../admin/admin-principal'
import { adminOf } from './admin-auth'

/**
 * For routes of the whole account's admins: an admin limited to one connection is refused before
 * the input is checked, so they learn that they may not, not what their form lacks.
 */
export const accountAdminOnly: preValidationAsyncHookHandler = async (request) => requireAccountAdmin(adminOf(request))
