/**
 * The admin console's API: what each route takes and answers, as TypeBox schemas the server checks
 * and serializes with, and as types the console imports (`import type` only: the console's bundle
 * carries no TypeBox). The sign-in refusal words are plain strings the console shows.
 */
export * from './fields'
export * from './session'
export * from './account'
export * from './connections'
export * from './monitor'
export * from './backfill'
export * from './needs-action'
export * from './alerts'
export * from './zendesk'
export * from './home'
export * from './sign-in-refusals'
