import { Alert, Paragraph } from '@zendeskgarden/react-notifications'
import { useMemo, useRef } from 'react'
import styled from 'styled-components'
import { createBackend } from '../../lib/backend'
import type { SidebarIdentity } from '../../lib/backend'
import { t } from '../../lib/i18n'
import { useClient } from '../ClientProvider'
import { ErrorView } from '../components/ErrorView'
import { LinkedCard } from '../components/LinkedCard'
import { LoadingSkeleton } from '../components/LoadingSkeleton'
import { NotesList } from '../components/NotesList'
import { StateMessage } from '../components/StateMessage'
import { SyncNowPanel } from '../components/SyncNowPanel'
import { useAutoResize } from '../hooks/useAutoResize'
import { useSidebarSetup } from '../hooks/useSidebarSetup'
import { useSyncNow } from '../hooks/useSyncNow'
import { useTicketEvents } from '../hooks/useTicketEvents'
import { useTicketState } from '../hooks/useTicketState'

const Frame = styled.main`
  padding: ${({ theme }) => theme.space.xs} ${({ theme }) => theme.space.xxs};
  font-family: ${({ theme }) => theme.fonts.system};
`

function TicketView({ identity, clusterIdFieldId }: { identity: SidebarIdentity; clusterIdFieldId: number | null }) {
  const client = useClient()
  const backend = useMemo(() => createBackend(client, identity), [client, identity])
  const ticket = useTicketState(backend)
  const sync = useSyncNow(backend, ticket.show)
  useTicketEvents(clusterIdFieldId, ticket.refresh)

  if (!ticket.data) {
    if (ticket.error) return <ErrorView error={ticket.error} onRetry={ticket.refresh} />
    return <LoadingSkeleton />
  }
  const state = ticket.data
  return (
    <div aria-busy={ticket.isLoading} data-state={state.state}>
      {ticket.error && <ErrorView error={ticket.error} onRetry={ticket.refresh} />}
      <StateMessage ticket={state} />
      {state.autotask && <LinkedCard ticket={state.autotask} lastSyncedAt={state.lastSyncedAt} />}
      {state.state !== 'closed' && <SyncNowPanel sync={sync} />}
      {(state.autotask || ticket.notes.items.length > 0) && <NotesList notes={ticket.notes} onShowMore={ticket.loadMoreNotes} />}
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
    content = <TicketView identity={setup.data.identity} clusterIdFieldId={setup.data.clusterIdFieldId} />
  }
  return (
    <Frame ref={frame} aria-label={t('heading')}>
      {content}
    </Frame>
  )
}
