import type { TicketStateResponse } from '@psa-link/shared'
import { Notification, Title } from '@zendeskgarden/react-notifications'
import { Paragraph, SM } from '@zendeskgarden/react-typography'
import styled from 'styled-components'
import { formatDateTime, formatRelative, t } from '../../lib/i18n'

const Box = styled.div`
  margin-bottom: ${({ theme }) => theme.space.sm};
  ul { margin: 4px 0 0; padding-left: 18px; }
`

type Tone = 'info' | 'warning' | 'error'

function Message({ tone, title, children }: { tone: Tone; title: string; children: React.ReactNode }) {
  return (
    <Box>
      <Notification type={tone} role="region" aria-label={title}>
        <Title>{title}</Title>
        {children}
      </Notification>
    </Box>
  )
}

function Problems({ ticket }: { ticket: TicketStateResponse }) {
  if (ticket.problems.length === 0) return <Paragraph>{t('state.error.body')}</Paragraph>
  return (
    <ul>
      {ticket.problems.map((problem) => (
        <li key={`${problem.code}-${problem.nextRetryAt ?? ''}`}>
          <Paragraph>{t('state.error.problem', { message: problem.message, attempts: problem.attempts })}</Paragraph>
          {problem.remoteMessage && <SM>{t('state.error.remote', { remoteMessage: problem.remoteMessage })}</SM>}
          <SM>
            {problem.nextRetryAt ? (
              <time dateTime={problem.nextRetryAt} title={formatDateTime(problem.nextRetryAt)}>
                {t('state.error.next_retry', { time: formatRelative(problem.nextRetryAt) })}
              </time>
            ) : (
              t('state.error.no_retry')
            )}
          </SM>
        </li>
      ))}
    </ul>
  )
}

/** The words for every state but `linked` (SYNC-RULES.md "Observable state"). */
export function StateMessage({ ticket }: { ticket: TicketStateResponse }) {
  const clusterId = ticket.clusterId ?? ''
  const detail = ticket.message ? <SM>{ticket.message}</SM> : null
  switch (ticket.state) {
    case 'linked':
      return null
    case 'pending':
      return (
        <Message tone="info" title={t('state.pending.title')}>
          <Paragraph>{t('state.pending.body')}</Paragraph>
          {detail}
        </Message>
      )
    case 'unrouted':
      return (
        <Message tone="warning" title={t('state.unrouted.title')}>
          <Paragraph>{t('state.unrouted.body', { clusterId })}</Paragraph>
          {detail}
        </Message>
      )
    case 'ambiguous':
      return (
        <Message tone="warning" title={t('state.ambiguous.title')}>
          <Paragraph>{t('state.ambiguous.body', { clusterId, count: ticket.candidates.length })}</Paragraph>
          <ul>
            {ticket.candidates.map((candidate) => (
              <li key={`${candidate.connectionName}-${candidate.installedProductId}`}>
                <SM>
                  {t('state.ambiguous.candidate', {
                    connection: candidate.connectionName,
                    installedProductId: candidate.installedProductId,
                    accountId: candidate.autotaskAccountId,
                  })}
                </SM>
              </li>
            ))}
          </ul>
          {detail}
        </Message>
      )
    case 'not_eligible':
      return (
        <Message tone="info" title={t('state.not_eligible.title')}>
          <Paragraph>{t('state.not_eligible.body')}</Paragraph>
          {detail}
        </Message>
      )
    case 'error':
      return (
        <Message tone="error" title={t('state.error.title')}>
          <Problems ticket={ticket} />
          {detail}
        </Message>
      )
    case 'paused':
      return (
        <Message tone="warning" title={t('state.paused.title')}>
          <Paragraph>{t('state.paused.body', { connection: ticket.autotask?.connectionName ?? '' })}</Paragraph>
          {detail}
        </Message>
      )
    case 'throttled':
      return (
        <Message tone="warning" title={t('state.throttled.title')}>
          <Paragraph>
            {ticket.waitingNotes === 1 ? t('state.throttled.body_one') : t('state.throttled.body_other', { count: ticket.waitingNotes })}
          </Paragraph>
          {detail}
        </Message>
      )
    case 'broken':
      return (
        <Message tone="error" title={t('state.broken.title')}>
          <Paragraph>{t('state.broken.body')}</Paragraph>
          {detail}
        </Message>
      )
    case 'closed':
      return (
        <Message tone="info" title={t('state.closed.title')}>
          <Paragraph>{t('state.closed.body')}</Paragraph>
          {detail}
        </Message>
      )
  }
}
