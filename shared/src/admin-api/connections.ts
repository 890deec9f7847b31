import Type, { type Static } from 'typebox'
import type { ConnectionSettings } from '../mapping/connection-settings'
import { Nullable, Secret, Text, Timestamp } from './fields'

const ZONE_EXAMPLES =
  'Enter a zone URL such as https://webservices5.autotask.net/ATServicesRest/V1.0/ (REST) or https://webservices5.autotask.net/ATServices/1.6/atws.asmx (SOAP), or leave it empty to look the zone up.'

const INTEGRATION_CODE = 'The integration (tracking) code is letters and digits, as Autotask shows it.'

export const PicklistOption = Type.Object({ value: Type.Integer(), label: Type.String(), isActive: Type.Boolean() }, { additionalProperties: true })
export type PicklistOption = Static<typeof PicklistOption>

export const Picklists = Type.Object(
  {
    priority: Type.Array(PicklistOption),
    status: Type.Array(PicklistOption),
    queue: Type.Array(PicklistOption),
    source: Type.Array(PicklistOption),
    ticketType: Type.Array(PicklistOption),
    noteType: Type.Array(PicklistOption),
  },
  { additionalProperties: true },
)
export type Picklists = Static<typeof Picklists>

/** An Autotask connection as the console shows it; one read alone carries its picklists. */
export const Connection = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  transport: Type.Union([Type.Literal('soap'), Type.Literal('rest')]),
  zoneUrl: Nullable(Type.String()),
  apiUsername: Type.String(),
  status: Type.Union([Type.Literal('untested'), Type.Literal('ready'), Type.Literal('failing')]),
  statusMessage: Nullable(Type.String()),
  paused: Type.Boolean(),
  settings: Type.Record(Type.String(), Type.Unknown()),
  picklistsLoadedAt: Nullable(Timestamp),
  picklists: Type.Optional(Nullable(Picklists)),
  /** The Autotask labels unset priority and status mappings fall back to. */
  mappingDefaults: Type.Optional(Type.Object({ priority: Type.Record(Type.String(), Type.String()), status: Type.Record(Type.String(), Type.String()) })),
})
export type Connection = Static<typeof Connection>

export const ConnectionList = Type.Object({ connections: Type.Array(Connection) })

/**
 * A connection's credentials. Secret and integration code may be left empty when editing (the saved
 * ones stay); the route says when they must be typed again.
 */
export const ConnectionBody = Type.Object({
  name: Text('Name', { max: 100 }),
  transport: Type.Optional(
    Type.Union([Type.Literal('auto'), Type.Literal('rest'), Type.Literal('soap'), Type.Literal('')], {
      title: 'Transport',
      errorMessage: 'Choose Detect, REST or SOAP.',
    }),
  ),
  zoneUrl: Type.Optional(Text('Zone URL', { max: 500, required: false, pattern: '^\\s*$|^\\s*https?://[^\\s/]+(/\\S*)?\\s*$', errorMessage: ZONE_EXAMPLES })),
  apiUsername: Text('API user', { max: 254, pattern: '^\\s*\\S+@\\S+\\s*$', errorMessage: 'The API user is an email address, e.g. api@example.com.' }),
  secret: Type.Optional(Type.String({ title: 'Secret', maxLength: 1000 })),
  integrationCode: Type.Optional(
    Type.String({ title: 'Integration code', maxLength: 100, pattern: '^\\s*([A-Za-z0-9]{10,64})?\\s*$', errorMessage: INTEGRATION_CODE }),
  ),
})
export type ConnectionBody = Static<typeof ConnectionBody>

/** A new connection needs its secret and integration code. */
export const NewConnectionBody = Type.Object({
  ...ConnectionBody.properties,
  secret: Secret('Secret'),
  integrationCode: Type.String({
    title: 'Integration code',
    minLength: 1,
    maxLength: 100,
    pattern: '^\\s*[A-Za-z0-9]{10,64}\\s*$',
    errorMessage: INTEGRATION_CODE,
  }),
})
export type NewConnectionBody = Static<typeof NewConnectionBody>

/** The mappings are checked by the route against `ConnectionSettings` and the live picklists, each field named. */
export const ConnectionSettingsBody = Type.Object({ settings: Type.Unknown() })
export type ConnectionSettingsBody = { settings: ConnectionSettings }

export const ConnectionTest = Type.Object({ ok: Type.Boolean(), message: Type.String() })
export type ConnectionTest = Static<typeof ConnectionTest>

export const PausedReply = Type.Object({ paused: Type.Boolean() })

export { ZONE_EXAMPLES }
