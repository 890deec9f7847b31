import type { TicketStateResponse } from '@psa-link/shared'
import { Alert, Paragraph } from '@zendeskgarden/react-notifications'
import { getColor } from '@zendeskgarden/react-theming'
import { useCallback, useContext, useMemo, useRef, useState } from 'react'
import styled from 'styled-components'
import { createBackend } from '../../lib/backend'
import type { SidebarIdentity } from '../../lib/backend'
import { t } from '../../lib/i18n'
import { useClient } from '../ClientProvider'
import { ErrorView } from '../components/ErrorView'
import { LinkedCard } from '../components/LinkedCard'
import { LoadingSkeleton } from '../components/LoadingSkeleton'
import { ManualLinkPanel } from '../components/ManualLinkPanel'
import { NotesList } from '../components/NotesList'
import { NotSetUpView } from '../components/NotSetUpView'
import { StateMessage } from '../components/StateMessage'
import { SyncNowPanel } from '../components/SyncNowPanel'
import { useAutoResize } from '../hooks/useAutoResize'
import { useNotSetUp } from '../hooks/useNotSetUp'
import { useNow } from '../hooks/useNow'
import { useSidebarSetup } from '../hooks/useSidebarSetup'
import { useSyncNow } from '../hooks/useSyncNow'
import { useTicketState } from '../hooks/useTicketState'
import { useTicketWatch } from '../hooks/useTicketWatch'
import { SidebarOptionsContext } from '../sidebar-options'

/** Zendesk's own sidebar text: 14 px (Garden's md), not the browser's 16 px. */
const Frame = styled.main`
  padding: ${({ theme }) => theme.space.xs} ${({ theme }) => theme.space.xxs};
  font-family: ${({ theme }) => theme.fonts.system};
  font-size: ${({ theme }) => theme.fontSizes.md};
  line-height: ${({ theme }) => theme.lineHeights.md};
  color: ${({ theme }) => getColor({ theme, variable: 'foreground.default' })};
`

const EditNote = styled.p`
  margin: 0 0 ${({ theme }) => theme.space.xs};
  font-size: ${({ theme }) => theme.fontSizes.sm};
`

function sameClusterId(a: string | null | undefined, b: string | null | undefined): boolean {
  return (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase()
}

/** Who may link by hand, as far as the sidebar can tell; the backend decides for itself. */
function canLinkByHand(ticket: TicketStateResponse, role: string | null): boolean {
  return ticket.manualLinkPolicy === 'agents' || (ticket.manualLinkPolicy === 'admins' && role === 'admin')
}

function TicketView({ identity, clusterIdFieldId, role }: { identity: SidebarIdentity; clusterIdFieldId: number | null; role: string | null }) {
  const client = useClient()
  const { clockTickMs } = useContext(SidebarOptionsContext)
  const backend = useMemo(() => createBackend(client, identity), [client, identity])
  const ticket = useTicketState(backend)
  const sync = useSyncNow(backend, ticket.data, ticket.show)
  const now = useNow(clockTickMs)
  const [editedClusterId, setEditedClusterId] = useState<string | null | undefined>(undefined)
  const message = useRef<HTMLDivElement>(null)

  const known = ticket.data
  const onSaved = useCallback(
    (clusterId: string | null | undefined) => {
      setEditedClusterId(undefined)
      // A save that changed the Cluster ID is followed to the end of its sync; any other save is a read.
      if (clusterId !== undefined && known && !sameClusterId(clusterId, known.clusterId) && !sync.isBusy) sync.start({ kind: 'cluster_changed', clusterId })
      else ticket.refresh()
    },
    [known, sync, ticket],
  )
  const onClusterIdEdited = useCallback(
    (clusterId: string | null) => setEditedClusterId(sameClusterId(clusterId, known?.clusterId) ? undefined : clusterId),
    [known],
  )
  useTicketWatch(clusterIdFieldId, { onSaved, onClusterIdEdited })
  const notSetUp = useNotSetUp(ticket.error, ticket.data !== null)

  if (notSetUp) return <NotSetUpView backendUrl={identity.backendUrl} subdomain={identity.subdomain} role={role} />
  if (!ticket.data) {
    if (ticket.error) return <ErrorView error={ticket.error} onRetry={ticket.refresh} />
    return <LoadingSkeleton />
  }
  const state = ticket.data
  const ability = { canLink: canLinkByHand(state, role) }
  const showLinkPanel =
    ability.canLink &&
    (state.state === 'linked' ||
      state.state === 'broken' ||
      state.state === 'ambiguous' ||
      state.state === 'unrouted' ||
      state.state === 'closed' ||
      state.state === 'error')
  return (
    <div aria-busy={ticket.isLoading} data-state={state.state} data-reason={state.reason ?? ''}>
      {ticket.error && <ErrorView error={ticket.error} onRetry={ticket.refresh} />}
      {editedClusterId !== undefined && (
        <EditNote role="status">{editedClusterId ? t('watch.cluster_changed', { clusterId: editedClusterId }) : t('watch.cluster_cleared')}</EditNote>
      )}
      <StateMessage ref={message} ticket={state} ability={ability} now={now} />
      {/* A broken link's card would point to a ticket Autotask no longer has. */}
      {state.autotask && state.state !== 'closed' && state.state !== 'broken' && (
        <LinkedCard ticket={state.autotask} lastSyncedAt={state.lastSyncedAt} now={now} />
      )}
      <SyncNowPanel sync={sync} ticket={state} now={now} />
      {showLinkPanel && <ManualLinkPanel ticket={state} backend={backend} onTicket={ticket.show} />}
      {(state.autotask || ticket.notes.items.length > 0) && (
        <NotesList notes={ticket.notes} onShowMore={ticket.loadMoreNotes} autotaskUrl={state.autotask?.url ?? null} now={now} />
      )}
    </div>
  )
}

export function TicketSidebar() {
  const setup = useSidebarSetup()
  const frame = useRef<HTMLElement>(null)
  useAutoResize(frame, setup)

  let content: React.ReactNode
  if (setup.error === 'missing_backend_url') {
    content = (
      <Alert type="warning">
        <Paragraph>{t('missing_backend_url')}</Paragraph>
      </Alert>
    )
  } else if (setup.error) {
    content = (
      <Alert type="error">
        <Paragraph>{t('outside_zendesk')}</Paragraph>
      </Alert>
    )
  } else if (!setup.data) {
    content = <LoadingSkeleton />
  } else {
    content = <TicketView identity={setup.data.identity} clusterIdFieldId={setup.data.clusterIdFieldId} role={setup.data.role} />
  }
  return (
    <Frame ref={frame} aria-label={t('heading')}>
      {content}
    </Frame>
  )
}
