import Type, { type Static } from 'typebox'
import { Nullable, Timestamp } from './fields'

/** What needs an admin's attention, on every page of the console. */
export const Attention = Type.Object({
  failingConnections: Type.Array(
    Type.Object({ id: Type.Integer(), name: Type.String(), failingSince: Timestamp, failedCycles: Type.Integer(), lastError: Nullable(Type.String()) }),
  ),
  openProblems: Type.Integer(),
  /** Cluster IDs whose tickets wait for a route (the needs-action inbox). */
  clusterIdsWaiting: Type.Integer(),
})
export type Attention = Static<typeof Attention>

export const SetupStep = Type.Object({
  key: Type.String(),
  title: Type.String(),
  done: Type.Boolean(),
  /** What is missing, or what is there. */
  detail: Type.String(),
  href: Type.String(),
})
export type SetupStep = Static<typeof SetupStep>

/** The account's health at a glance and the setup checklist. */
export const Home = Type.Object({
  health: Type.Object({
    failingConnections: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), failingSince: Timestamp, lastError: Nullable(Type.String()) })),
    openProblems: Type.Integer(),
    clusterIdsWaiting: Type.Integer(),
    lastCycle: Nullable(Type.Object({ status: Type.String(), finishedAt: Nullable(Timestamp), error: Nullable(Type.String()) })),
    connections: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), status: Type.String(), paused: Type.Boolean() })),
  }),
  steps: Type.Array(SetupStep),
})
export type Home = Static<typeof Home>
