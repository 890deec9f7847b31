import { useEffect, useRef } from 'react'
import { useClient } from '../ClientProvider'

/** Zendesk fires these after the agent submits the ticket: what the backend knows may have changed. */
const SAVE_EVENTS = ['ticket.saved', 'ticket.submit.done'] as const
/** One save fires several of these events at once: they cost one backend read, not one each. */
const COALESCE_MS = 150

export interface TicketWatchHandlers {
  /** The ticket was saved; `clusterId` is the field's value then (undefined when the field is unknown). */
  onSaved(clusterId: string | null | undefined): void
  /** The agent edited the Cluster ID field (not saved yet). */
  onClusterIdEdited(clusterId: string | null): void
}

function asValue(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : null
}

/**
 * Follows the ticket in the agent's workspace: its saves (`ticket.saved`, `ticket.submit.done`)
 * and, when its id is known from the `cluster_id_field_id` setting, edits of the Cluster ID field
 * (`ticket.custom_field_<id>.changed`), whose value is read from the ticket itself.
 */
export function useTicketWatch(clusterIdFieldId: number | null, handlers: TicketWatchHandlers): void {
  const client = useClient()
  const latest = useRef(handlers)
  latest.current = handlers

  useEffect(() => {
    const path = clusterIdFieldId === null ? null : `ticket.customField:custom_field_${clusterIdFieldId}`
    const readClusterId = async (): Promise<string | null | undefined> => {
      if (!path) return undefined
      try {
        return asValue((await client.get(path))[path])
      } catch {
        return undefined
      }
    }
    let timer: ReturnType<typeof setTimeout> | null = null
    const onSave = () => {
      if (timer) clearTimeout(timer)
      timer = setTimeout(() => {
        timer = null
        void readClusterId().then((value) => latest.current.onSaved(value))
      }, COALESCE_MS)
    }
    const onEdit = () => {
      void readClusterId().then((value) => {
        if (value !== undefined) latest.current.onClusterIdEdited(value)
      })
    }
    const changeEvent = clusterIdFieldId === null ? null : `ticket.custom_field_${clusterIdFieldId}.changed`
    for (const event of SAVE_EVENTS) client.on(event, onSave)
    if (changeEvent) client.on(changeEvent, onEdit)
    return () => {
      if (timer) clearTimeout(timer)
      for (const event of SAVE_EVENTS) client.off(event, onSave)
      if (changeEvent) client.off(changeEvent, onEdit)
    }
  }, [client, clusterIdFieldId])
}
