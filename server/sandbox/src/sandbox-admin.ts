import type { Pool } from 'pg'
import { hashPassword } from '../../src/admin/passwords'
import { createAdminUsersRepository } from '../../src/db/repositories/admin-users-repository'
import { SANDBOX_SUBDOMAIN } from './sandbox-tenant'

/**
 * The sandbox's admin login, printed in the start-up banner. Its first password is fixed so the
 * banner and the tests can name it; the console makes whoever signs in with it choose another.
 */
export const SANDBOX_ADMIN = { email: 'admin@demo.test', firstPassword: 'sandbox-admin-first' } as const

/** Creates the sandbox admin of `accountId` once; a password already changed stays as it is. */
export async function ensureSandboxAdmin(pool: Pool, accountId: number): Promise<void> {
  const users = createAdminUsersRepository(pool)
  if (await users.findOne(SANDBOX_ADMIN.email, SANDBOX_SUBDOMAIN)) return
  await users.create({
    zendeskAccountId: accountId,
    connectionId: null,
    email: SANDBOX_ADMIN.email,
    passwordHash: await hashPassword(SANDBOX_ADMIN.firstPassword),
  })
}

/** The banner line: the first password while it is still in use, otherwise a reminder. */
export async function describeSandboxAdmin(pool: Pool): Promise<string> {
  const user = await createAdminUsersRepository(pool).findOne(SANDBOX_ADMIN.email, SANDBOX_SUBDOMAIN)
  if (!user) return 'no sandbox admin yet'
  return user.mustChangePassword
    ? `${SANDBOX_ADMIN.email} / ${SANDBOX_ADMIN.firstPassword} (you choose a new password at first sign-in)`
    : `${SANDBOX_ADMIN.email} (with the password you chose)`
}
