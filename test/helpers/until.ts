/**
 * The suite's one polling helper: reads a value until it is what the test waits for. Tests wait on
 * conditions, never on sleeps; the timeout only bounds a hang; it is never the thing asserted. On
 * timeout the error names what was awaited and the last value read, so a failure explains itself.
 */
export async function until<T>(read: () => T | Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 30_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${describe(value)}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/** `until` for a condition that is itself the answer: resolves with the first truthy value. */
export async function eventually<T>(
  condition: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 10_000,
  what = 'a condition',
): Promise<T> {
  return (await until(condition, Boolean, what, timeoutMs, 25)) as T
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
