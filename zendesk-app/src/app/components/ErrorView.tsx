import { Button } from '@zendeskgarden/react-buttons'
import { Alert, Paragraph, Title } from '@zendeskgarden/react-notifications'
import styled from 'styled-components'
import type { BackendError } from '../../lib/backend'
import { t } from '../../lib/i18n'
import type { TranslationKey } from '../../lib/i18n'

const Actions = styled.div`
  margin-top: ${({ theme }) => theme.space.xs};
`

const WORDS: Record<BackendError['kind'], [TranslationKey, TranslationKey]> = {
  unreachable: ['error.unreachable_title', 'error.unreachable_body'],
  unauthorized: ['error.unauthorized_title', 'error.unauthorized_body'],
  rate_limited: ['error.rate_limited_title', 'error.rate_limited_body'],
  failed: ['error.failed_title', 'error.failed_body'],
}

export function ErrorView({ error, onRetry }: { error: BackendError; onRetry: () => void }) {
  const [title, body] = WORDS[error.kind]
  return (
    <Alert type="error">
      <Title>{t(title)}</Title>
      <Paragraph>{t(body, { status: error.status })}</Paragraph>
      <Actions>
        <Button size="small" onClick={onRetry}>
          {t('error.retry')}
        </Button>
      </Actions>
    </Alert>
  )
}
