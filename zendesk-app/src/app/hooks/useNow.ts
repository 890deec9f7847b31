import { useEffect, useState } from 'react'

/**
 * The current time, renewed every `intervalMs`: relative times ("checked 12 s ago", "3 minutes
 * ago") tick while the sidebar is open instead of freezing at their first render.
 */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}
