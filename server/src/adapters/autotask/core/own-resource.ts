export interface OwnResourceOptions {
  /** What the connection has stored, if it learned it before (kept across restarts). */
  known: number | null
  /** The API user's resource looked up in Autotask (one query), or null when none matches. */
  lookUp: () => Promise<number | null>
  /** Store a newly learned id with the connection. */
  onLearned?: (resourceId: number) => Promise<void> | void
}

/**
 * The Autotask resource PSA Link's API user writes as. It leaves PSA Link's own notes and ticket
 * writes out of the change scans, and tells PSA Link's notes from a technician's look-alike when
 * an interrupted create is recovered. Learned once per connection — from the stored value, a
 * created note's CreatorResourceID, or one lookup of the API user's resource — and stored, so a
 * restart (or a crash before the first note was read back) does not forget it.
 */
export function createOwnResource(options: OwnResourceOptions) {
  let id: number | undefined = options.known ?? undefined
  // Only a note PSA Link created proves the id; a stored one may have come from a lookup.
  let confirmed = false
  let lookup: Promise<number | null> | undefined

  async function learn(resourceId: number, fromOwnNote = false): Promise<void> {
    confirmed ||= fromOwnNote
    if (id === resourceId) return
    id = resourceId
    try {
      await options.onLearned?.(resourceId)
    } catch {
      // Kept in memory for this gateway; the next gateway learns it again.
    }
  }

  return {
    /** What is known right now, without asking Autotask. */
    current(): number | undefined {
      return id
    },
    /**
     * False until one of PSA Link's own notes showed its creator in this gateway's life. The
     * lookup matches the API username against resources' Email and UserName (a guess at which
     * holds it), so its answer is checked once against a real note, and corrected if it differs.
     */
    confirmed(): boolean {
      return confirmed
    },
    learn,
    /**
     * The id, looked up once when not known yet. Never throws: without it the callers fall back
     * to what they did before (scans read PSA Link's own notes; recovery goes by the title).
     * A lookup that finds nothing is not repeated for this gateway.
     */
    async resolve(): Promise<number | null> {
      if (id !== undefined) return id
      lookup ??= options.lookUp().catch(() => {
        lookup = undefined
        return null
      })
      const found = await lookup
      if (found !== null && id === undefined) await learn(found)
      return id ?? null
    },
  }
}

export type OwnResource = ReturnType<typeof createOwnResource>
