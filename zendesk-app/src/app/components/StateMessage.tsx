import type { TicketStateResponse } from '@psa-link/shared'
import { Notification, Title } from '@zendeskgarden/react-notifications'
import { forwardRef } from 'react'
import styled from 'styled-components'
import { t } from '../../lib/i18n'
import { stateWords } from '../words/state-words'
import type { LinkAbility } from '../words/state-words'

const Box = styled.div`
  margin-bottom: ${({ theme }) => theme.space.sm};
  &:focus {
    outline: none;
  }
  ul {
    margin: 4px 0 0;
    padding-left: 18px;
  }
  p {
    margin: 4px 0 0;
  }
`

const Todo = styled.p`
  font-size: ${({ theme }) => theme.fontSizes.sm};
  line-height: ${({ theme }) => theme.lineHeights.sm};
`

function Candidates({ ticket }: { ticket: TicketStateResponse }) {
  return (
    <ul>
      {ticket.candidates.map((candidate) => (
        <li key={`${candidate.connectionName}-${candidate.installedProductId}`}>
          {t('state.ambiguous.candidate', { account: candidate.accountName ?? t('state.ambiguous.unknown_account'), connection: candidate.connectionName })}
        </li>
      ))}
    </ul>
  )
}

/**
 * One message per state and cause: a title of its own, what happened, and one "What to do" line
 * naming who acts. The engine's English `message` is for logs and admins and is not shown here;
 * Autotask's own words are, marked as such.
 */
export const StateMessage = forwardRef<HTMLDivElement, { ticket: TicketStateResponse; ability: LinkAbility; now: number }>(function StateMessage(
  { ticket, ability, now },
  ref,
) {
  const words = stateWords(ticket, ability, now)
  if (!words) return null
  const remote = ticket.state === 'error' ? (ticket.problems.find((problem) => problem.remoteMessage)?.remoteMessage ?? null) : null
  return (
    <Box ref={ref} tabIndex={-1}>
      <Notification type={words.tone} role="region" aria-label={words.title}>
        <Title>{words.title}</Title>
        {words.body && <p>{words.body}</p>}
        {ticket.state === 'ambiguous' && <Candidates ticket={ticket} />}
        {remote && <p>{t('state.error.remote', { remoteMessage: remote })}</p>}
        <Todo>
          <strong>{t('what_to_do')}</strong> {words.todo}
        </Todo>
      </Notification>
    </Box>
  )
})
