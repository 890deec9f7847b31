import type { TicketStateResponse } from '@psa-link/shared'
import { Button } from '@zendeskgarden/react-buttons'
import { Dots } from '@zendeskgarden/react-loaders'
import { useEffect, useRef } from 'react'
import { getFocusBoxShadow } from '@zendeskgarden/react-theming'
import styled from 'styled-components'
import { t } from '../../lib/i18n'
import type { SyncNowView } from '../hooks/useSyncNow'
import { syncCanHelp, syncResult } from '../words/sync-result'

const Row = styled.div`
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: ${({ theme }) => theme.space.xs} ${({ theme }) => theme.space.sm};
  margin: ${({ theme }) => theme.space.sm} 0;
`

const Status = styled.p`
  flex: 1 1 12em;
  margin: 0;
  font-size: ${({ theme }) => theme.fontSizes.sm};
  line-height: ${({ theme }) => theme.lineHeights.sm};
  &:focus {
    outline: none;
  }
  &:focus-visible {
    box-shadow: ${({ theme }) => getFocusBoxShadow({ theme })};
  }
`

function message(sync: SyncNowView, ticket: TicketStateResponse, now: number): string {
  switch (sync.phase) {
    case 'running':
    case 'queued':
      if (sync.trigger.kind === 'cluster_changed' && sync.trigger.clusterId) return t('watch.linking', { clusterId: sync.trigger.clusterId })
      if (sync.trigger.kind === 'cluster_changed') return t('watch.saved')
      return sync.phase === 'running' ? t('sync.running') : t('sync.queued')
    case 'still_running':
      return ticket.syncing || ticket.state === 'pending' ? t('sync.still_running') : syncResult(sync.before, ticket, now)
    case 'done':
      return syncResult(sync.before, ticket, now)
    case 'failed':
      return sync.failure === 'unauthorized' ? t('sync.request_refused') : sync.failure === 'rate_limited' ? t('sync.request_busy') : t('sync.request_failed')
    case 'idle':
      return ''
  }
}

/**
 * Sync now and what it found. The button is offered only where a sync can change something; while
 * a sync runs it stays focusable (`aria-disabled`), and if it goes away after a sync (the ticket
 * turned out paused) focus moves to the result instead of falling back to the page.
 */
export function SyncNowPanel({ sync, ticket, now }: { sync: SyncNowView; ticket: TicketStateResponse; now: number }) {
  const offered = syncCanHelp(ticket)
  const buttonFocused = useRef(false)
  const status = useRef<HTMLParagraphElement>(null)

  useEffect(() => {
    if (!offered && buttonFocused.current) {
      buttonFocused.current = false
      status.current?.focus()
    }
  }, [offered])

  const text = message(sync, ticket, now)
  if (!offered && text === '') return null
  return (
    <Row>
      {offered && (
        <Button
          size="small"
          onClick={() => {
            if (!sync.isBusy) sync.start()
          }}
          onFocus={() => {
            buttonFocused.current = true
          }}
          onBlur={() => {
            buttonFocused.current = false
          }}
          aria-disabled={sync.isBusy}
          aria-busy={sync.isBusy}
        >
          {ticket.state === 'unrouted' ? t('sync.button_unrouted') : t('sync.button')}
        </Button>
      )}
      {sync.isBusy && <Dots aria-hidden="true" />}
      {/* Always in the DOM while shown, so screen readers announce each change of its text. */}
      <Status ref={status} tabIndex={-1} role="status" aria-live="polite" data-sync-phase={sync.phase} data-testid="sync-result">
        {text}
      </Status>
    </Row>
  )
}
