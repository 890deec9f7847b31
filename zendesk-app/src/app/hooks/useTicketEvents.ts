import { useEffect } from 'react'
import { useClient } from '../ClientProvider'

/** Zendesk fires these after the agent submits the ticket: what the backend knows may have changed. */
const SAVE_EVENTS = ['ticket.saved', 'ticket.submit.done'] as const
/** One save fires several of these events at once: they cost one backend read, not one each. */
const COALESCE_MS = 150

/** Calls `onChange` after a save, and as soon as the Cluster ID field changes (when its id is known). */
export function useTicketEvents(clusterIdFieldId: number | null, onChange: () => void): void {
  const client = useClient()
  useEffect(() => {
    const events: string[] = [...SAVE_EVENTS]
    if (clusterIdFieldId !== null) events.push(`ticket.custom_field_${clusterIdFieldId}.changed`)
    let timer: ReturnType<typeof setTimeout> | null = null
    const handler = () => {
      if (timer) clearTimeout(timer)
      timer = setTimeout(() => {
        timer = null
        onChange()
      }, COALESCE_MS)
    }
    for (const event of events) client.on(event, handler)
    return () => {
      if (timer) clearTimeout(timer)
      for (const event of events) client.off(event, handler)
    }
  }, [client, clusterIdFieldId, onChange])
}
