import { randomInt } from 'node:crypto'
import type { FastifyReply } from 'fastify'
import { mulberry32 } from '@psa-link/shared'

/**
 * "Applied, then the answer lost": a write that took effect whose caller never learns it did —
 * the connection is held and then dropped (the caller sees a timeout or a reset), or a proxy in
 * front answers 502. Both emulators play it on their write endpoints, so a test can see whether a
 * client writes twice. Draws come from a seeded generator (mulberry32) whose seed is shown on the
 * control surface: a failing run is replayed by setting the same seed.
 */
export type LostResponseKind = 'timeout' | 'bad_gateway'

export interface LostResponseSettings {
  /** Share (0..1) of the writes that take effect whose answer is then lost. */
  rate: number
  /** The next N writes that take effect lose their answer, whatever the rate. */
  next: number
  /** How the answer is lost; 'mixed' draws between the two. */
  mode: LostResponseKind | 'mixed'
  /** How long a 'timeout' holds the connection before destroying it. */
  holdMs: number
  /** Seed of the generator behind these draws and the emulator's other random faults. */
  seed: number
}

export interface LostResponses {
  settings(): LostResponseSettings & { lost: number }
  /** Changes the settings; a new seed restarts the generator from it. */
  set(changes: Partial<LostResponseSettings>): void
  /** No more lost answers (the seed and the count stay). */
  clear(): void
  /** For one write that took effect: how its answer is lost, or null when it is delivered. */
  draw(): LostResponseKind | null
  /** The seeded generator, for the emulator's other random faults. */
  random(): number
}

const NONE = { rate: 0, next: 0, mode: 'mixed', holdMs: 50 } as const

export function createLostResponses(seed = randomInt(2 ** 31)): LostResponses {
  let settings: LostResponseSettings = { ...NONE, seed }
  let generator = mulberry32(seed)
  let lost = 0

  return {
    settings: () => ({ ...settings, lost }),
    set(changes) {
      const next = { ...settings, ...changes }
      if (!(next.rate >= 0 && next.rate <= 1)) throw new Error('rate must be between 0 and 1')
      if (!Number.isInteger(next.next) || next.next < 0) throw new Error('next must be a whole number ≥ 0')
      if (!['timeout', 'bad_gateway', 'mixed'].includes(next.mode)) throw new Error("mode must be 'timeout', 'bad_gateway' or 'mixed'")
      if (!Number.isInteger(next.seed)) throw new Error('seed must be an integer')
      if (changes.seed !== undefined) generator = mulberry32(next.seed)
      settings = next
    },
    clear() {
      settings = { ...NONE, seed: settings.seed }
    },
    draw() {
      let hit = false
      if (settings.next > 0) {
        settings = { ...settings, next: settings.next - 1 }
        hit = true
      } else if (settings.rate > 0) {
        hit = generator() < settings.rate
      }
      if (!hit) return null
      lost += 1
      if (settings.mode !== 'mixed') return settings.mode
      return generator() < 0.5 ? 'timeout' : 'bad_gateway'
    },
    random: () => generator(),
  }
}

const badGatewayPage =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>The upstream server did not answer in time.</p></body></html>'

/**
 * Loses the answer of a write that already took effect: 'timeout' holds the connection for
 * `holdMs` and then destroys it without a byte of answer; 'bad_gateway' answers as a proxy would.
 */
export async function loseResponse(reply: FastifyReply, kind: LostResponseKind, holdMs: number): Promise<FastifyReply> {
  if (kind === 'bad_gateway') return reply.code(502).header('content-type', 'text/html; charset=utf-8').send(badGatewayPage)
  reply.hijack()
  await new Promise((resolve) => setTimeout(resolve, holdMs))
  reply.raw.destroy()
  return reply
}
