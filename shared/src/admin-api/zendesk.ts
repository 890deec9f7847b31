import Type, { type Static } from 'typebox'
import { MANUAL_LINK_POLICIES, type ManualLinkPolicy } from '../api/ticket-state'
import { Id, Nullable, Secret, Text } from './fields'

export type { ManualLinkPolicy }

const ManualLinkPolicySchema = (options: { title?: string; errorMessage?: string } = {}) =>
  Type.Union(
    MANUAL_LINK_POLICIES.map((policy) => Type.Literal(policy)),
    options,
  )

export const ZendeskSettings = Type.Object({
  subdomain: Type.String(),
  baseUrl: Type.String(),
  auth: Nullable(Type.Union([Type.Literal('oauth'), Type.Literal('token'), Type.Literal('api_token')])),
  oauthClientAvailable: Type.Boolean(),
  clusterIdFieldId: Nullable(Type.Integer()),
  appSecretSet: Type.Boolean(),
  webhookId: Nullable(Type.String()),
  webhookEndpoint: Type.String(),
  sidebarManualLink: ManualLinkPolicySchema(),
})
export type ZendeskSettings = Omit<Static<typeof ZendeskSettings>, 'sidebarManualLink'> & { sidebarManualLink: ManualLinkPolicy }

const MANUAL_LINK_CHOICE = 'Choose who may link tickets by hand: nobody, all agents or Zendesk admins.'
export const ManualLinkBody = Type.Object({
  policy: ManualLinkPolicySchema({ title: 'Who may link', errorMessage: MANUAL_LINK_CHOICE }),
})
export type ManualLinkBody = { policy: ManualLinkPolicy }
export const ManualLinkReply = Type.Object({ sidebarManualLink: Type.String() })

export const ClientCredentialsBody = Type.Object({
  clientId: Text('The OAuth client identifier', { max: 200 }),
  clientSecret: Secret('The OAuth client secret'),
})
export type ClientCredentialsBody = Static<typeof ClientCredentialsBody>
export const ClientCredentialsReply = Type.Object({ connected: Type.Literal(true), integrationUser: Type.String() })

export const TicketFields = Type.Object({ fields: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String() })) })

/** Null (nothing chosen) is refused by the route with "Choose the Cluster ID field." */
export const ClusterFieldChoiceBody = Type.Object({ fieldId: Nullable(Id('Cluster ID field')) })
export type ClusterFieldChoiceBody = Static<typeof ClusterFieldChoiceBody>
export const ClusterFieldChosen = Type.Object({ clusterIdFieldId: Type.Integer() })

export const NewClusterFieldBody = Type.Object({ title: Text('Field title', { max: 80 }) })
export type NewClusterFieldBody = Static<typeof NewClusterFieldBody>
export const ClusterFieldCreated = Type.Object({ clusterIdFieldId: Type.Integer(), title: Type.String() })

export const AppSecret = Type.Object({ sharedSecret: Type.String() })
export const WebhookRegistered = Type.Object({ webhookId: Type.String(), endpoint: Type.String() })

/** What Zendesk's redirect brings back to PSA Link's OAuth callbacks. */
export const OAuthCallbackQuery = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 4000 })),
  state: Type.Optional(Type.String({ maxLength: 500 })),
  error: Type.Optional(Type.String({ maxLength: 500 })),
})
export type OAuthCallbackQuery = Static<typeof OAuthCallbackQuery>

const LinkFields = Type.Object({ numberFieldId: Type.Integer(), statusFieldId: Type.Integer() })

export const Visibility = Type.Object({
  enabled: Type.Boolean(),
  fields: Nullable(LinkFields),
  titles: Type.Object({ number: Type.String(), status: Type.String() }),
  tag: Type.String(),
})
export type Visibility = Static<typeof Visibility>
export const VisibilityBody = Type.Object({ enabled: Type.Boolean({ title: 'Show links in Zendesk' }) })
export type VisibilityBody = Static<typeof VisibilityBody>
export const VisibilityReply = Type.Object({ enabled: Type.Boolean() })
export const LinkFieldsCreated = Type.Object({ fields: LinkFields })
