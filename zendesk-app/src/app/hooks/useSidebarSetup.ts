import { useEffect, useState } from 'react'
import type { SidebarIdentity } from '../../lib/backend'
import { useClient, useRegistration } from '../ClientProvider'

export interface SidebarSetup {
  identity: SidebarIdentity
  /** The Cluster ID ticket field, from the `cluster_id_field_id` setting; null when not set. */
  clusterIdFieldId: number | null
  /** Zendesk's role for the agent: only decides what is offered; the backend checks for itself. */
  role: string | null
}

export type SidebarSetupError = 'missing_backend_url' | 'host_failed'

function toFieldId(value: unknown): number | null {
  const id = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
  return Number.isInteger(id) && id > 0 ? id : null
}

/** Who and where the sidebar is: ticket, agent, account and settings, read from the host once. */
export function useSidebarSetup(): { data: SidebarSetup | null; error: SidebarSetupError | null; isLoading: boolean } {
  const client = useClient()
  const { metadata, context } = useRegistration()
  const [data, setData] = useState<SidebarSetup | null>(null)
  const [error, setError] = useState<SidebarSetupError | null>(null)

  useEffect(() => {
    const backendUrl = metadata.settings['backend_url']
    if (typeof backendUrl !== 'string' || backendUrl.trim() === '') {
      setError('missing_backend_url')
      return
    }
    let live = true
    Promise.all([client.get('ticket.id'), client.get('currentUser')])
      .then(([ticket, user]) => {
        const ticketId = Number(ticket['ticket.id'])
        const current = user['currentUser'] as { id?: unknown; role?: unknown } | undefined
        const userId = Number(current?.id)
        if (!live) return
        if (!Number.isInteger(ticketId) || !Number.isInteger(userId)) {
          setError('host_failed')
          return
        }
        setData({
          identity: { backendUrl, subdomain: context.account.subdomain, userId, ticketId },
          clusterIdFieldId: toFieldId(metadata.settings['cluster_id_field_id']),
          role: typeof current?.role === 'string' ? current.role : null,
        })
      })
      .catch(() => {
        if (live) setError('host_failed')
      })
    return () => {
      live = false
    }
  }, [client, metadata, context])

  return { data, error, isLoading: !data && !error }
}
