/**
 * Every call to one Autotask database goes through a gate: Autotask allows 3 concurrent requests
 * per integration and entity, and 10,000 requests per rolling hour per database, shared with every
 * other integration. The in-memory gate serves one process; the engine supplies a PostgreSQL-backed
 * gate with the same interface so several backend instances share the slots and the budget.
 */
export interface AutotaskRequestUsage {
  requestsLastHour: number
  limit: number
}

export interface AutotaskRequestGate {
  /** Runs `work` once a slot for `entity` is free, charging it to the hourly budget. */
  run<T>(entity: string, work: () => Promise<T>): Promise<T>
  usage(): AutotaskRequestUsage | Promise<AutotaskRequestUsage>
}
