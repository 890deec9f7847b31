import Type, { type Static } from 'typebox'
import { Flag, Id, Nullable, Row, Text, Timestamp } from './fields'
import { EMAIL_EXAMPLE, EMAIL_PATTERN } from './session'

export const Account = Type.Object({
  subdomain: Type.String(),
  passwordSignIn: Type.Boolean(),
  agentsReadOnly: Type.Boolean(),
  signsInWithZendesk: Type.Boolean(),
})
export type Account = Static<typeof Account>

/** An account-wide switch (password sign-in, agents read-only). */
export const SwitchBody = Type.Object({ allowed: Flag('The setting') })
export type SwitchBody = Static<typeof SwitchBody>

export const PasswordSignInReply = Type.Object({ passwordSignIn: Type.Boolean() })
export const AgentsReadOnlyReply = Type.Object({ agentsReadOnly: Type.Boolean() })

export const LinksCsv = Type.String({ description: 'CSV: one row per link of the account.' })

export const RemoveAccountBody = Type.Object({ confirm: Text('The account’s subdomain', { max: 200 }) })
export type RemoveAccountBody = Static<typeof RemoveAccountBody>

const CleanupStep = Type.Object({ done: Type.Boolean(), message: Type.Optional(Type.String()) })

/** What leaving did in Zendesk: each step done, or Zendesk's words why not. */
export const RemoveAccountReply = Type.Object({
  removed: Type.Literal(true),
  zendesk: Type.Object({ webhook: CleanupStep, fields: CleanupStep, token: CleanupStep }),
})
export type RemoveAccountReply = Static<typeof RemoveAccountReply>

/** An audit entry with its sentence (`describeAuditEntry` adds the words). */
export const AuditEntry = Row({
  id: Type.Integer(),
  at: Timestamp,
  action: Type.String(),
  adminEmail: Nullable(Type.String()),
  connectionId: Nullable(Type.Integer()),
  details: Type.Record(Type.String(), Type.Unknown()),
  sentence: Type.String(),
  changes: Type.Array(Type.Object({ field: Type.String(), before: Type.String(), after: Type.String() })),
})
export type AuditEntry = Static<typeof AuditEntry>

export const AuditLog = Type.Object({ entries: Type.Array(AuditEntry) })

export const AdminLogin = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  connectionId: Nullable(Type.Integer()),
  mustChangePassword: Type.Boolean(),
  lockedUntil: Nullable(Timestamp),
})
export type AdminLogin = Static<typeof AdminLogin>

export const AdminLogins = Type.Object({ users: Type.Array(AdminLogin) })

export const NewAdminLoginBody = Type.Object({
  email: Text('Email', { max: 254, pattern: EMAIL_PATTERN, errorMessage: EMAIL_EXAMPLE }),
  /** Absent or null: an admin of the whole account. */
  connectionId: Type.Optional(Nullable(Id('Connection'))),
})
export type NewAdminLoginBody = Static<typeof NewAdminLoginBody>

export const NewAdminLogin = Type.Object({ id: Type.Integer(), email: Type.String(), temporaryPassword: Type.String() })
export type NewAdminLogin = Static<typeof NewAdminLogin>

export const Removed = Type.Object({ removed: Type.Literal(true) })
