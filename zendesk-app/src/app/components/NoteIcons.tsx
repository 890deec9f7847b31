import styled from 'styled-components'
import { getColor } from '@zendeskgarden/react-theming'

const Svg = styled.svg`
  flex: none;
  width: 14px;
  height: 14px;
  fill: currentColor;
  color: ${({ theme }) => getColor({ theme, variable: 'foreground.subtle' })};
`

const PATHS = {
  // A wrench: written by a technician in Autotask.
  autotask: 'M14.3 3.6l-2.2 2.2-1.9-.4-.4-1.9 2.2-2.2A4 4 0 0 0 6.9 6.4L1.6 11.7a1.6 1.6 0 0 0 2.3 2.3l5.3-5.3a4 4 0 0 0 5.1-5.1z',
  // A speech bubble: a Zendesk comment.
  zendesk: 'M2 2.5h12a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H7.5L4 14.5v-3H2a1 1 0 0 1-1-1v-7a1 1 0 0 1 1-1z',
  // An eye: the requester sees it.
  public: 'M8 3.5C4.4 3.5 1.7 6.3 1 8c.7 1.7 3.4 4.5 7 4.5s6.3-2.8 7-4.5c-.7-1.7-3.4-4.5-7-4.5zm0 7.2A2.7 2.7 0 1 1 8 5.3a2.7 2.7 0 0 1 0 5.4z',
  // A padlock: internal only.
  internal: 'M4.5 7V5a3.5 3.5 0 0 1 7 0v2h.5a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h.5zm1.8 0h3.4V5a1.7 1.7 0 0 0-3.4 0v2z',
} as const

/** A small icon with its text alternative (read by screen readers, shown as a tooltip). */
export function NoteIcon({ kind, label }: { kind: keyof typeof PATHS; label: string }) {
  return (
    <Svg viewBox="0 0 16 16" role="img" aria-label={label} data-icon={kind}>
      <title>{label}</title>
      <path d={PATHS[kind]} />
    </Svg>
  )
}
