import type { AdminUser, AdminUsersRepository } from '../db/repositories/admin-users-repository'
import { verifyPassword } from './passwords'

export const MAX_FAILED_SIGN_INS = 5
export const LOCK_OUT_SECONDS = 15 * 60

export type SignInResult =
  | { ok: true; user: AdminUser }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; lockedUntil: Date }

// Checked against when the email is unknown, so a sign-in takes as long whether or not the admin exists.
const DECOY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'

/**
 * Email and password, with lock-out: the 5th failure in a row locks the login for 15 minutes, and
 * while locked even the right password is refused (it would otherwise let guessing continue).
 */
export async function signIn(users: AdminUsersRepository, email: string, password: string, now = new Date()): Promise<SignInResult> {
  const user = await users.findByEmail(email)
  if (!user) {
    await verifyPassword(password, DECOY_HASH)
    return { ok: false, reason: 'invalid' }
  }
  if (user.lockedUntil && user.lockedUntil > now) return { ok: false, reason: 'locked', lockedUntil: user.lockedUntil }
  if (!(await verifyPassword(password, user.passwordHash))) {
    const after = await users.recordFailure(user.id, MAX_FAILED_SIGN_INS, LOCK_OUT_SECONDS)
    if (after.lockedUntil && after.lockedUntil > now) return { ok: false, reason: 'locked', lockedUntil: after.lockedUntil }
    return { ok: false, reason: 'invalid' }
  }
  await users.recordSuccess(user.id)
  return { ok: true, user }
}
