import { useEffect } from 'react'
import { useClient } from '../ClientProvider'

/** Zendesk fires these after the agent submits the ticket: what the backend knows may have changed. */
const SAVE_EVENTS = ['ticket.saved', 'ticket.submit.done'] as const

/** Calls `onChange` after a save, and as soon as the Cluster ID field changes (when its id is known). */
export function useTicketEvents(clusterIdFieldId: number | null, onChange: () => void): void {
  const client = useClient()
  useEffect(() => {
    const events: string[] = [...SAVE_EVENTS]
    if (clusterIdFieldId !== null) events.push(`ticket.custom_field_${clusterIdFieldId}.changed`)
    const handler = () => onChange()
    for (const event of events) client.on(event, handler)
    return () => {
      for (const event of events) client.off(event, handler)
    }
  }, [client, clusterIdFieldId, onChange])
}
