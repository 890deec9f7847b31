import type { BackendError } from '../../lib/backend'

/**
 * Whether the backend refused this sidebar itself (401): it does not know the account, or the app's
 * shared secret is empty or not the account's. The backend answers all of these alike on purpose
 * (an unknown account must look like a bad signature), and the shared secret is a secure setting
 * the sidebar cannot read, so the sidebar says "not set up yet, or the secret does not match".
 */
export function useNotSetUp(error: BackendError | null, hasData: boolean): boolean {
  return !hasData && error !== null && error.kind === 'unauthorized' && error.status === 401
}
