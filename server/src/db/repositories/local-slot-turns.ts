/** A row of `autotask_request_slots` this process holds: its number and the holder token written on it. */
export interface HeldSlot {
  slot: number
  holder: string
  /** When this process last renewed its expiry (Date.now()): taken, charged on, or prepaid on. */
  renewedAt: number
}

export interface LocalSlotTurnsOptions {
  /** Autotask's threads per integration and entity: this process never holds more slots of one entity. */
  maxInFlight: number
  /**
   * How long a freed slot waits for this process's next request before it goes back to the table.
   * Requests sent back to back (a lane of REST creates) arrive well within it.
   */
  parkMs: number
  /** Gives a slot back to the shared table (and wakes whoever waits for it). */
  release(entity: string, held: HeldSlot): void
}

interface EntityTurns {
  /** Requests of this process taking or using a slot now. */
  active: number
  /** Requests waiting for a turn, in arrival order: each is handed a slot, or null to take its own. */
  queue: Array<(handed: HeldSlot | null) => void>
  /** Slots just freed, kept a moment for the next request of this process. */
  parked: Array<{ held: HeldSlot; timer: NodeJS.Timeout }>
  /** Slots requests of this process are using now. */
  inUse: Set<HeldSlot>
}

/** A turn asked for: `queued` when it waits behind this process's own requests of the entity. */
export interface Turn {
  queued: boolean
  /** Resolves with a slot this process already holds, or null (take one from the table). */
  granted: Promise<HeldSlot | null>
}

/**
 * This process's turns at each entity's Autotask slots, in front of the shared slot table. At most
 * `maxInFlight` requests of one entity take or hold a slot at a time (the others wait here, in
 * arrival order, instead of all polling PostgreSQL), and a request that ends hands its slot straight
 * to the next one of this process: the slot is never free in between, so no release races the next
 * take and no thread of Autotask's three waits for a wake-up. Across instances the table still
 * decides: a turn without a handed slot takes one there.
 */
export function createLocalSlotTurns(options: LocalSlotTurnsOptions) {
  const entities = new Map<string, EntityTurns>()
  const turnsOf = (entity: string): EntityTurns => {
    let turns = entities.get(entity)
    if (!turns) {
      turns = { active: 0, queue: [], parked: [], inUse: new Set() }
      entities.set(entity, turns)
    }
    return turns
  }

  return {
    /** A turn at the entity's slots: at once (with a parked slot, or none), else after the requests ahead. */
    turn(entity: string): Turn {
      const turns = turnsOf(entity)
      const parked = turns.parked.shift()
      if (parked) {
        clearTimeout(parked.timer)
        turns.active += 1
        return { queued: false, granted: Promise.resolve(parked.held) }
      }
      if (turns.active < options.maxInFlight) {
        turns.active += 1
        return { queued: false, granted: Promise.resolve(null) }
      }
      return { queued: true, granted: new Promise((resolve) => turns.queue.push(resolve)) }
    },

    /** Marks `held` as used by a request of this turn until finish. */
    use(entity: string, held: HeldSlot): void {
      turnsOf(entity).inUse.add(held)
    },

    /** The slot in use whose expiry was renewed longest ago: a waiting request's charge renews it too. */
    longestUnrenewed(entity: string): HeldSlot | undefined {
      let oldest: HeldSlot | undefined
      for (const held of turnsOf(entity).inUse) if (!oldest || held.renewedAt < oldest.renewedAt) oldest = held
      return oldest
    },

    /** Ends a turn: its slot (null when none was obtained) goes to the next waiting request, or is parked a moment. */
    finish(entity: string, held: HeldSlot | null): void {
      const turns = turnsOf(entity)
      if (held) turns.inUse.delete(held)
      const next = turns.queue.shift()
      if (next) {
        next(held)
        return
      }
      turns.active -= 1
      if (!held) return
      const timer = setTimeout(() => {
        turns.parked = turns.parked.filter((entry) => entry.held !== held)
        options.release(entity, held)
      }, options.parkMs)
      turns.parked.push({ held, timer })
    },
  }
}
