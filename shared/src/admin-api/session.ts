import Type, { type Static } from 'typebox'
import { Secret, Text } from './fields'

/** Email addresses as the console's forms take them (spaces around are trimmed by the route). */
export const EMAIL_PATTERN = '^\\s*[^\\s@]+@[^\\s@]+\\.[^\\s@]+\\s*$'
const EMAIL_EXAMPLE = 'Enter an email address such as name@example.com.'

export const SignInBody = Type.Object({
  email: Text('Email', { max: 254 }),
  password: Secret('Password'),
  zendesk: Type.Optional(Text('Zendesk account', { max: 200, required: false })),
})
export type SignInBody = Static<typeof SignInBody>

export const SignInReply = Type.Object({ csrfToken: Type.String(), mustChangePassword: Type.Boolean() })
export type SignInReply = Static<typeof SignInReply>

/** Who is signed in, read by the console on load. */
export const Session = Type.Object({
  email: Type.String(),
  accountId: Type.Integer(),
  subdomain: Type.Union([Type.String(), Type.Null()]),
  connectionId: Type.Union([Type.Integer(), Type.Null()]),
  connectionName: Type.Union([Type.String(), Type.Null()]),
  mustChangePassword: Type.Boolean(),
  readOnly: Type.Boolean(),
  csrfToken: Type.String(),
})
export type Session = Static<typeof Session>

export const SignOutReply = Type.Object({ signedOut: Type.Literal(true) })

export const PasswordChangeBody = Type.Object({
  currentPassword: Secret('Current password'),
  newPassword: Secret('New password'),
  repeatPassword: Secret('The new password again'),
})
export type PasswordChangeBody = Static<typeof PasswordChangeBody>

export const PasswordChangeReply = Type.Object({ changed: Type.Literal(true) })

export const SetupStatus = Type.Object({ needed: Type.Boolean(), sandbox: Type.Boolean() })
export type SetupStatus = Static<typeof SetupStatus>

export const SetupBody = Type.Object({
  setupCode: Text('The setup code', { max: 40 }),
  zendesk: Text('Your Zendesk address', { max: 200 }),
  email: Text('Email', { max: 254, pattern: EMAIL_PATTERN, errorMessage: EMAIL_EXAMPLE }),
  password: Secret('Password'),
  repeatPassword: Secret('The password again'),
})
export type SetupBody = Static<typeof SetupBody>

export const SetupReply = Type.Object({ csrfToken: Type.String(), subdomain: Type.String() })

export const ZendeskSignInBody = Type.Object({
  zendesk: Text('Your Zendesk account', { max: 200 }),
  returnTo: Type.Optional(Text('Return address', { max: 210, required: false })),
})
export type ZendeskSignInBody = Static<typeof ZendeskSignInBody>

/** Where the browser goes next: Zendesk's authorization page. */
export const AuthorizeReply = Type.Object({ authorizeUrl: Type.String() })
export type AuthorizeReply = Static<typeof AuthorizeReply>

export { EMAIL_EXAMPLE }
