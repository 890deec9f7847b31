import type { LinkedAutotaskTicket } from '@psa-link/shared'
import { Anchor } from '@zendeskgarden/react-buttons'
import { Tag } from '@zendeskgarden/react-tags'
import { MD, SM } from '@zendeskgarden/react-typography'
import { getColor } from '@zendeskgarden/react-theming'
import styled from 'styled-components'
import { formatDateTime, formatRelative, t } from '../../lib/i18n'

const Card = styled.section`
  border: 1px solid ${({ theme }) => getColor({ theme, variable: 'border.default' })};
  border-radius: ${({ theme }) => theme.borderRadii.md};
  padding: ${({ theme }) => theme.space.sm};
  margin-bottom: ${({ theme }) => theme.space.sm};
`

const Fields = styled.dl`
  display: grid;
  grid-template-columns: max-content 1fr;
  gap: 2px ${({ theme }) => theme.space.sm};
  margin: ${({ theme }) => theme.space.xs} 0 0;
  font-size: ${({ theme }) => theme.fontSizes.sm};
  line-height: ${({ theme }) => theme.lineHeights.sm};
  dt {
    color: ${({ theme }) => getColor({ theme, variable: 'foreground.subtle' })};
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
`

const Heading = styled.h2`
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: ${({ theme }) => theme.space.xs};
  margin: 0;
  font-size: ${({ theme }) => theme.fontSizes.md};
`

export function LinkedCard({ ticket, lastSyncedAt, now }: { ticket: LinkedAutotaskTicket; lastSyncedAt: string | null; now: number }) {
  return (
    <Card aria-label={t('linked.card_label')}>
      <Heading>
        <Anchor
          href={ticket.url}
          target="_blank"
          rel="noopener noreferrer"
          isExternal
          externalIconLabel={t('linked.opens_new_tab')}
          aria-label={t('linked.ticket_link_label', { number: ticket.ticketNumber })}
        >
          {ticket.ticketNumber}
        </Anchor>
        <Tag hue="blue" size="small" aria-label={`${t('linked.status')}: ${ticket.status.label}`}>
          {ticket.status.label}
        </Tag>
      </Heading>
      <MD>{ticket.title}</MD>
      <Fields>
        <dt>{t('linked.priority')}</dt>
        <dd>{ticket.priority.label}</dd>
        <dt>{t('linked.account')}</dt>
        <dd>{ticket.accountName ?? t('linked.none')}</dd>
        <dt>{t('linked.queue')}</dt>
        <dd>{ticket.queue?.label ?? t('linked.none')}</dd>
        <dt>{t('linked.due')}</dt>
        <dd>{ticket.dueDateTime ? formatDateTime(ticket.dueDateTime) : t('linked.none')}</dd>
        <dt>{t('linked.last_synced')}</dt>
        <dd>
          {lastSyncedAt ? (
            <time dateTime={lastSyncedAt} title={formatDateTime(lastSyncedAt)}>
              {formatRelative(lastSyncedAt, now)}
            </time>
          ) : (
            t('linked.never')
          )}
        </dd>
        <dt>{t('linked.connection')}</dt>
        <dd>
          <SM>{ticket.connectionName}</SM>
        </dd>
      </Fields>
    </Card>
  )
}
