import { Button } from '@zendeskgarden/react-buttons'
import { Dots } from '@zendeskgarden/react-loaders'
import { SM } from '@zendeskgarden/react-typography'
import styled from 'styled-components'
import { t } from '../../lib/i18n'
import type { SyncNowView } from '../hooks/useSyncNow'

const Row = styled.div`
  display: flex;
  align-items: center;
  gap: ${({ theme }) => theme.space.sm};
  margin: ${({ theme }) => theme.space.sm} 0;
`

function message(sync: SyncNowView): string {
  switch (sync.phase) {
    case 'running':
      return t('sync.running')
    case 'queued':
      return t('sync.queued')
    case 'done':
      return t('sync.done')
    case 'still_running':
      return t('sync.still_running')
    case 'failed':
      return t('sync.failed', { reason: sync.failure ?? '' })
    case 'idle':
      return ''
  }
}

export function SyncNowPanel({ sync }: { sync: SyncNowView }) {
  return (
    <Row>
      <Button size="small" onClick={sync.start} disabled={sync.isBusy} aria-busy={sync.isBusy}>
        {t('sync.button')}
      </Button>
      {sync.isBusy && <Dots aria-hidden="true" />}
      {/* Always in the DOM, so screen readers announce each change of its text. */}
      <SM role="status" aria-live="polite" data-sync-phase={sync.phase}>
        {message(sync)}
      </SM>
    </Row>
  )
}
