import type { SyncedNote } from '@psa-link/shared'
import { Button } from '@zendeskgarden/react-buttons'
import { Tag } from '@zendeskgarden/react-tags'
import { SM } from '@zendeskgarden/react-typography'
import { getColor } from '@zendeskgarden/react-theming'
import styled from 'styled-components'
import { formatDateTime, formatRelative, t } from '../../lib/i18n'
import type { NotesPage } from '../hooks/useTicketState'

const List = styled.ul`
  list-style: none;
  margin: 0 0 ${({ theme }) => theme.space.xs};
  padding: 0;
`

const Item = styled.li<{ $skipped: boolean }>`
  border-top: 1px solid ${({ theme }) => getColor({ theme, variable: 'border.subtle' })};
  padding: ${({ theme }) => theme.space.xs} 0;
  opacity: ${({ $skipped }) => ($skipped ? 0.7 : 1)};
`

const Meta = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: 4px;
  align-items: center;
`

const Text = styled.p`
  margin: 4px 0 0;
  white-space: pre-wrap;
  overflow-wrap: anywhere;
`

const Heading = styled.h3`
  margin: ${({ theme }) => theme.space.sm} 0 ${({ theme }) => theme.space.xs};
  font-size: ${({ theme }) => theme.fontSizes.sm};
`

function Note({ note }: { note: SyncedNote }) {
  return (
    <Item $skipped={note.state === 'skipped'} data-note-id={note.id}>
      <Meta>
        <SM isBold>{note.author}</SM>
        <SM>
          <time dateTime={note.createdAt} title={formatDateTime(note.createdAt)}>
            {formatRelative(note.createdAt)}
          </time>
        </SM>
        <Tag size="small" hue={note.public ? 'green' : 'yellow'}>
          {note.public ? t('notes.public') : t('notes.internal')}
        </Tag>
        <Tag size="small">{note.origin === 'autotask' ? t('notes.from_autotask') : t('notes.from_zendesk')}</Tag>
        {note.state === 'skipped' && (
          <Tag size="small" hue="red">
            {t('notes.skipped')}
          </Tag>
        )}
        {note.state === 'pending' && <Tag size="small">{t('notes.pending')}</Tag>}
      </Meta>
      {note.title && <SM isBold>{note.title}</SM>}
      <Text>{note.text}</Text>
    </Item>
  )
}

export function NotesList({ notes, onShowMore }: { notes: NotesPage; onShowMore: () => void }) {
  return (
    <section aria-labelledby="psa-link-notes-heading">
      <Heading id="psa-link-notes-heading">{t('notes.heading')}</Heading>
      {notes.items.length === 0 ? (
        <SM>{t('notes.empty')}</SM>
      ) : (
        <List>
          {notes.items.map((note) => (
            <Note key={note.id} note={note} />
          ))}
        </List>
      )}
      {notes.loadMoreFailed && <SM role="alert">{t('notes.load_more_failed')}</SM>}
      {notes.nextCursor && (
        <Button size="small" isBasic onClick={onShowMore} disabled={notes.isLoadingMore} aria-busy={notes.isLoadingMore}>
          {notes.isLoadingMore ? t('notes.loading_more') : t('notes.show_more')}
        </Button>
      )}
    </section>
  )
}
