/**
 * Why a sign-in with Zendesk sent its admin back (the callback's `zendesk_error`), in the words the
 * console shows. Plain strings with no imports: the console bundles this file and nothing more.
 */
export const SIGN_IN_REFUSALS = {
  state: 'The sign-in with Zendesk expired or was started in another browser. Start it again.',
  denied: 'Zendesk did not grant access, so you were not signed in.',
  not_admin: 'Only admins of this Zendesk account can sign in to PSA Link. You are signed in to Zendesk as an agent: ask one of your Zendesk admins.',
  wrong_account: 'Zendesk answered for a user of another account. You were not signed in.',
  not_allowed: 'This PSA Link installation does not take new Zendesk accounts from this subdomain. Ask its operator.',
  zendesk: 'Zendesk refused the sign-in. Start it again.',
} as const

export type SignInRefusal = keyof typeof SIGN_IN_REFUSALS
