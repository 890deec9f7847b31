import type { SyncedNote } from '@psa-link/shared'
import { Anchor, Button } from '@zendeskgarden/react-buttons'
import { Tag } from '@zendeskgarden/react-tags'
import { getColor, getFocusBoxShadow } from '@zendeskgarden/react-theming'
import { useEffect, useRef, useState } from 'react'
import styled from 'styled-components'
import { formatDateTime, formatRelative, t } from '../../lib/i18n'
import type { NotesPage } from '../hooks/useTicketState'
import { NoteIcon } from './NoteIcons'

const List = styled.ul`
  list-style: none;
  margin: 0 0 ${({ theme }) => theme.space.xs};
  padding: 0;
`

const Item = styled.li<{ $skipped: boolean }>`
  border-top: 1px solid ${({ theme }) => getColor({ theme, variable: 'border.subtle' })};
  padding: ${({ theme }) => theme.space.xs} 0;
  opacity: ${({ $skipped }) => ($skipped ? 0.7 : 1)};
  &:focus {
    outline: none;
  }
  &:focus-visible {
    box-shadow: ${({ theme }) => getFocusBoxShadow({ theme })};
  }
`

const Meta = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: 4px;
  align-items: center;
  font-size: ${({ theme }) => theme.fontSizes.sm};
  line-height: ${({ theme }) => theme.lineHeights.sm};
  color: ${({ theme }) => getColor({ theme, variable: 'foreground.subtle' })};
  strong {
    color: ${({ theme }) => getColor({ theme, variable: 'foreground.default' })};
    font-weight: ${({ theme }) => theme.fontWeights.semibold};
  }
`

/** Three lines, then an ellipsis (the browser's, at a word where it can) until the agent expands it. */
const Text = styled.p<{ $clamped: boolean }>`
  margin: 2px 0 0;
  white-space: pre-wrap;
  overflow-wrap: anywhere;
  ${({ $clamped }) => ($clamped ? 'display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden;' : '')}
`

const Small = styled.p`
  margin: 2px 0 0;
  font-size: ${({ theme }) => theme.fontSizes.sm};
  line-height: ${({ theme }) => theme.lineHeights.sm};
`

const Heading = styled.h3`
  margin: ${({ theme }) => theme.space.sm} 0 ${({ theme }) => theme.space.xs};
  font-size: ${({ theme }) => theme.fontSizes.md};
  font-weight: ${({ theme }) => theme.fontWeights.semibold};
`

/** Longer than three lines of a 320 px sidebar, roughly: worth a "Show all". */
function isLong(note: SyncedNote): boolean {
  return note.truncated || note.text.length > 140 || note.text.split('\n').length > 3
}

function Note({ note, autotaskUrl, now }: { note: SyncedNote; autotaskUrl: string | null; now: number }) {
  const [expanded, setExpanded] = useState(false)
  const long = isLong(note)
  const textId = `psa-link-note-${note.id.replace(/[^\w-]/g, '-')}`
  return (
    <Item $skipped={note.state === 'skipped'} data-note-id={note.id} tabIndex={-1}>
      <Meta>
        <NoteIcon kind={note.origin} label={note.origin === 'autotask' ? t('notes.from_autotask') : t('notes.from_zendesk')} />
        <NoteIcon kind={note.public ? 'public' : 'internal'} label={note.public ? t('notes.public') : t('notes.internal')} />
        <strong>{note.author}</strong>
        <time dateTime={note.createdAt} title={formatDateTime(note.createdAt)}>
          {formatRelative(note.createdAt, now)}
        </time>
        {note.state === 'skipped' && (
          <Tag size="small" hue="red">
            {t('notes.skipped')}
          </Tag>
        )}
        {note.state === 'pending' && <Tag size="small">{t('notes.pending')}</Tag>}
      </Meta>
      {note.title && <Small as="p">{note.title}</Small>}
      <Text id={textId} $clamped={long && !expanded} data-note-text>
        {note.text}
        {note.truncated ? '…' : ''}
      </Text>
      {long && (
        <Button isLink size="small" aria-expanded={expanded} aria-controls={textId} onClick={() => setExpanded((value) => !value)}>
          {expanded ? t('notes.collapse') : t('notes.expand')}
        </Button>
      )}
      {expanded && note.truncated && (
        <Small>
          {note.origin === 'autotask' ? t('notes.cut_autotask') : t('notes.cut_zendesk')}{' '}
          {note.origin === 'autotask' && autotaskUrl && (
            <Anchor href={autotaskUrl} target="_blank" rel="noopener noreferrer" isExternal externalIconLabel={t('linked.opens_new_tab')}>
              {t('notes.open_in_autotask')}
            </Anchor>
          )}
        </Small>
      )}
    </Item>
  )
}

export function NotesList({ notes, onShowMore, autotaskUrl, now }: { notes: NotesPage; onShowMore: () => void; autotaskUrl: string | null; now: number }) {
  const list = useRef<HTMLUListElement>(null)

  // Focus moves to the first note "Show more" brought in, not back to the page.
  useEffect(() => {
    if (!notes.firstOfLastPage) return
    const item = [...(list.current?.querySelectorAll<HTMLElement>('[data-note-id]') ?? [])].find(
      (element) => element.dataset['noteId'] === notes.firstOfLastPage,
    )
    item?.focus()
  }, [notes.firstOfLastPage])

  return (
    <section aria-labelledby="psa-link-notes-heading">
      <Heading id="psa-link-notes-heading">{t('notes.heading')}</Heading>
      {notes.items.length === 0 ? (
        <Small>{t('notes.empty')}</Small>
      ) : (
        <List ref={list}>
          {notes.items.map((note) => (
            <Note key={note.id} note={note} autotaskUrl={autotaskUrl} now={now} />
          ))}
        </List>
      )}
      {notes.loadMoreFailed && <Small role="alert">{t('notes.load_more_failed')}</Small>}
      {notes.nextCursor && (
        <Button
          size="small"
          isBasic
          onClick={() => {
            if (!notes.isLoadingMore) onShowMore()
          }}
          aria-disabled={notes.isLoadingMore}
          aria-busy={notes.isLoadingMore}
        >
          {notes.isLoadingMore ? t('notes.loading_more') : t('notes.show_more')}
        </Button>
      )}
    </section>
  )
}
