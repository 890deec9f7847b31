import Type, { type Static } from 'typebox'
import { Nullable, Row, Timestamp } from './fields'

export const AlertTarget = Row({
  id: Type.Integer(),
  kind: Type.Union([Type.Literal('email'), Type.Literal('webhook')]),
  address: Type.String(),
  lastSentAt: Nullable(Timestamp),
  lastError: Nullable(Type.String()),
})
export type AlertTarget = Static<typeof AlertTarget>

/** The account's own SMTP server; its password is never sent back, only whether one is set. */
export const SmtpView = Type.Object({
  host: Type.String(),
  port: Type.Integer(),
  secure: Type.Boolean(),
  username: Nullable(Type.String()),
  from: Type.String(),
  passwordSet: Type.Boolean(),
})

export const Alerts = Type.Object({ targets: Type.Array(AlertTarget), smtp: Nullable(SmtpView), smtpFromEnvironment: Type.Boolean() })
export type Alerts = Static<typeof Alerts>

export const NewAlertTargetBody = Type.Object({
  kind: Type.Union([Type.Literal('email'), Type.Literal('webhook')], { title: 'Kind', errorMessage: 'Choose email or webhook.' }),
  /** Checked by the route as an email address or a webhook URL, by kind. */
  address: Type.String({ title: 'Address', maxLength: 2000 }),
})
export type NewAlertTargetBody = Static<typeof NewAlertTargetBody>

export const NewAlertTarget = Type.Object({ id: Type.Integer() })

export const SmtpBody = Type.Object({
  host: Type.String({
    title: 'Host',
    pattern: '^\\s*[a-zA-Z0-9.-]{1,253}\\s*$',
    maxLength: 300,
    errorMessage: 'Enter the SMTP server’s host name, e.g. smtp.example.com.',
  }),
  port: Type.Integer({ title: 'Port', minimum: 1, maximum: 65535, errorMessage: 'Enter a port between 1 and 65535 (587 or 465 usually).' }),
  secure: Type.Optional(Type.Boolean({ title: 'TLS from the start' })),
  username: Type.Optional(Nullable(Type.String({ title: 'User name', maxLength: 254 }))),
  /** Empty keeps the stored password; `clearPassword` removes it. */
  password: Type.Optional(Type.String({ title: 'Password', maxLength: 1000 })),
  clearPassword: Type.Optional(Type.Boolean()),
  from: Type.String({ title: 'Sender', pattern: '^\\s*\\S.*@.*\\S\\s*$', maxLength: 254, errorMessage: 'Enter the sender address, e.g. alerts@example.com.' }),
})
export type SmtpBody = Static<typeof SmtpBody>
