import type { AdminUser, AdminUsersRepository } from '../db/repositories/admin-users-repository'
import { verifyPassword } from './passwords'
import type { WorkLimiter } from './work-limiter'

export const MAX_FAILED_SIGN_INS = 5
export const LOCK_OUT_SECONDS = 15 * 60

export interface SignInRequest {
  email: string
  /** The Zendesk account, needed only when the email administers several. */
  subdomain: string | null
  password: string
}

/**
 * A refusal says nothing of why (unknown email, wrong password, locked login): the route answers
 * all three alike. `user` and `locked` (refused unchecked, the login being locked) are for the audit log only.
 */
export type SignInResult = { ok: true; user: AdminUser } | { ok: false; user: AdminUser | null; locked: boolean }

// Checked when no password is, so a refusal takes as long whether or not the admin exists or is locked.
const DECOY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'

/**
 * Email and password, with lock-out: at most 5 passwords are checked per login before it locks for
 * 15 minutes, and while locked even the right password is refused. The attempt is taken in the
 * database before the password is checked (see `takeSignInAttempt`), so parallel guesses cannot
 * all pass a check made before any of them failed. Everything runs inside `hashing`, the limit on
 * concurrent scrypt work; a full queue throws WorkQueueFull before any attempt is counted.
 */
export async function signIn(users: AdminUsersRepository, hashing: WorkLimiter, request: SignInRequest, now = new Date()): Promise<SignInResult> {
  return hashing.run(async () => {
    const user = await users.takeSignInAttempt(request.email, request.subdomain, MAX_FAILED_SIGN_INS, LOCK_OUT_SECONDS)
    const verified = await verifyPassword(request.password, user?.passwordHash ?? DECOY_HASH)
    if (user && verified) {
      await users.recordSuccess(user.id)
      return { ok: true, user }
    }
    // Checked and wrong (even when this attempt is the one that locks): a failure, not a refusal unchecked.
    if (user) return { ok: false, user, locked: false }
    const known = await users.findOne(request.email, request.subdomain)
    return { ok: false, user: known, locked: known !== null && known.lockedUntil !== null && known.lockedUntil > now }
  })
}
