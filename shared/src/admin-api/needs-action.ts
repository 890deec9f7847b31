import Type, { type Static } from 'typebox'
import { Id, Nullable, Row, Text, Timestamp } from './fields'

const Candidate = Row({ connectionName: Type.String(), installedProductId: Type.Integer(), autotaskAccountId: Type.Integer() })

/** Tickets waiting on one Cluster ID, with the installed products it matched (when several). */
export const ClusterIdGroup = Row({
  clusterId: Type.String(),
  kind: Type.Union([Type.Literal('unrouted'), Type.Literal('ambiguous')]),
  title: Type.String(),
  ticketCount: Type.Integer(),
  since: Timestamp,
  tickets: Type.Array(Type.Object({ id: Type.Integer(), url: Type.String() })),
  candidates: Type.Array(Candidate),
})
export type ClusterIdGroup = Static<typeof ClusterIdGroup>

export const RouteSet = Row({
  clusterId: Type.String(),
  connectionName: Type.String(),
  installedProductId: Nullable(Type.Integer()),
  autotaskAccountId: Type.Integer(),
  createdBy: Nullable(Type.String()),
  createdAt: Timestamp,
})
export type RouteSet = Static<typeof RouteSet>

export const NeedsAction = Type.Object({
  groups: Type.Array(ClusterIdGroup),
  routes: Type.Array(RouteSet),
  connections: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
})
export type NeedsAction = Static<typeof NeedsAction>

export const ACCOUNT_SEARCH_MIN = 2
export const ACCOUNT_SEARCH_MAX = 100

export const AccountSearchQuery = Type.Object({
  connectionId: Id('The Autotask connection'),
  q: Type.String({
    title: 'Search',
    pattern: `^\\s*\\S.{${ACCOUNT_SEARCH_MIN - 2},${ACCOUNT_SEARCH_MAX - 2}}\\S\\s*$`,
    maxLength: 1000,
    errorMessage: `Type ${ACCOUNT_SEARCH_MIN} to ${ACCOUNT_SEARCH_MAX} characters of the account's name.`,
  }),
})
export type AccountSearchQuery = Static<typeof AccountSearchQuery>

export const FoundAccounts = Type.Object({ accounts: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })), more: Type.Boolean() })
export type FoundAccounts = Static<typeof FoundAccounts>

/** An id the console may send as a number or as the text of a field; empty means "not given". */
const OptionalId = (title: string, errorMessage: string) =>
  Type.Optional(
    Type.Union(
      [Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }), Type.String({ maxLength: 20, pattern: '^\\s*(\\d{1,15})?\\s*$' }), Type.Null()],
      { title, errorMessage },
    ),
  )

export const RouteBody = Type.Object({
  clusterId: Text('The Cluster ID', { max: 200, errorMessage: 'Name the Cluster ID to route.' }),
  connectionId: Id('The Autotask connection'),
  installedProductId: OptionalId('Installed product', 'An installed product id is a number, e.g. 2901.'),
  autotaskAccountId: OptionalId('Autotask account', 'An Autotask account id is a number, e.g. 29683.'),
})
export type RouteBody = Static<typeof RouteBody>

export const RouteSaved = Type.Object({ ok: Type.Literal(true), accountName: Type.String(), ticketsQueued: Type.Integer() })
export type RouteSaved = Static<typeof RouteSaved>

export const RouteParams = Type.Object({ clusterId: Type.String({ title: 'The Cluster ID', minLength: 1, maxLength: 200 }) })
