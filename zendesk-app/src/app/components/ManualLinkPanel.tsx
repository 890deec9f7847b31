import type { TicketStateResponse } from '@psa-link/shared'
import { Button } from '@zendeskgarden/react-buttons'
import { getColor, getFocusBoxShadow } from '@zendeskgarden/react-theming'
import { useEffect, useRef, useState } from 'react'
import type { FormEvent } from 'react'
import styled from 'styled-components'
import { BackendError } from '../../lib/backend'
import type { PsaLinkBackend } from '../../lib/backend'
import { t } from '../../lib/i18n'

const Box = styled.section`
  margin: ${({ theme }) => theme.space.sm} 0;
  font-size: ${({ theme }) => theme.fontSizes.sm};
  line-height: ${({ theme }) => theme.lineHeights.sm};
  p {
    margin: 0 0 ${({ theme }) => theme.space.xs};
  }
  label {
    display: block;
    font-weight: ${({ theme }) => theme.fontWeights.semibold};
    margin-bottom: 2px;
  }
  input {
    box-sizing: border-box;
    width: 100%;
    padding: 4px 8px;
    border: 1px solid ${({ theme }) => getColor({ theme, variable: 'border.default' })};
    border-radius: ${({ theme }) => theme.borderRadii.md};
    background: ${({ theme }) => getColor({ theme, variable: 'background.default' })};
    color: ${({ theme }) => getColor({ theme, variable: 'foreground.default' })};
    font: inherit;
  }
  input:focus-visible {
    outline: none;
    box-shadow: ${({ theme }) => getFocusBoxShadow({ theme })};
  }
`

const Hint = styled.span`
  display: block;
  color: ${({ theme }) => getColor({ theme, variable: 'foreground.subtle' })};
`

const Actions = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: ${({ theme }) => theme.space.xs};
  margin-top: ${({ theme }) => theme.space.xs};
`

type Step = { kind: 'closed' } | { kind: 'enter' } | { kind: 'confirm_link'; number: string } | { kind: 'confirm_unlink' } | { kind: 'working' }

const TICKET_NUMBER = /^T\d{8}\.\d{4,}$/i

function failureText(error: unknown, number: string): string {
  if (!(error instanceof BackendError)) return t('manual.failed.other')
  switch (error.code) {
    case 'autotask_ticket_not_found':
      return t('manual.failed.not_found', { number })
    case 'autotask_ticket_taken':
      return t('manual.failed.taken', { number })
    case 'manual_link_forbidden':
      return t('manual.failed.forbidden')
    case 'manual_link_off':
      return t('manual.failed.off')
    case 'bad_request':
      return t('manual.failed.invalid')
    default:
      return t('manual.failed.other')
  }
}

/**
 * Link by hand: an agent allowed to (the account's setting, checked again by the backend) links the
 * ticket to an existing Autotask ticket by its number, or unlinks it, each after a confirmation.
 */
export function ManualLinkPanel({
  ticket,
  backend,
  onTicket,
}: {
  ticket: TicketStateResponse
  backend: PsaLinkBackend
  onTicket: (ticket: TicketStateResponse) => void
}) {
  const [step, setStep] = useState<Step>({ kind: 'closed' })
  const [number, setNumber] = useState('')
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null)
  const input = useRef<HTMLInputElement>(null)
  const confirm = useRef<HTMLButtonElement>(null)
  const opener = useRef<HTMLButtonElement>(null)
  const result = useRef<HTMLParagraphElement>(null)
  const linked = ticket.autotask !== null && ticket.state !== 'broken' && ticket.state !== 'closed'

  // Focus follows what appeared: the field, the confirmation, or the outcome.
  useEffect(() => {
    if (step.kind === 'enter') input.current?.focus()
    if (step.kind === 'confirm_link' || step.kind === 'confirm_unlink') confirm.current?.focus()
  }, [step.kind])
  useEffect(() => {
    if (outcome) result.current?.focus()
  }, [outcome])

  const run = (action: () => Promise<TicketStateResponse>, done: (after: TicketStateResponse) => string, wanted: string) => {
    setStep({ kind: 'working' })
    action().then(
      (after) => {
        onTicket(after)
        setOutcome({ ok: true, text: done(after) })
        setStep({ kind: 'closed' })
      },
      (error: unknown) => {
        setOutcome({ ok: false, text: failureText(error, wanted) })
        setStep({ kind: 'closed' })
      },
    )
  }

  const submitNumber = (event: FormEvent) => {
    event.preventDefault()
    const wanted = number.trim().toUpperCase()
    if (!TICKET_NUMBER.test(wanted)) {
      setOutcome({ ok: false, text: t('manual.failed.invalid') })
      return
    }
    setOutcome(null)
    setStep({ kind: 'confirm_link', number: wanted })
  }

  return (
    <Box aria-label={t('manual.heading')}>
      {step.kind === 'closed' && (
        <Actions>
          {linked ? (
            <Button ref={opener} size="small" isBasic isDanger onClick={() => (setOutcome(null), setStep({ kind: 'confirm_unlink' }))}>
              {t('manual.unlink')}
            </Button>
          ) : (
            <Button ref={opener} size="small" onClick={() => (setOutcome(null), setStep({ kind: 'enter' }))}>
              {t('manual.open')}
            </Button>
          )}
        </Actions>
      )}
      {step.kind === 'enter' && (
        <form onSubmit={submitNumber}>
          <label htmlFor="psa-link-manual-number">{t('manual.number_label')}</label>
          <input
            id="psa-link-manual-number"
            ref={input}
            value={number}
            onChange={(event) => setNumber(event.target.value)}
            aria-describedby="psa-link-manual-hint"
            autoComplete="off"
          />
          <Hint id="psa-link-manual-hint">{t('manual.number_hint')}</Hint>
          <Actions>
            <Button size="small" type="submit">
              {t('manual.link')}
            </Button>
            <Button size="small" isBasic onClick={() => setStep({ kind: 'closed' })}>
              {t('manual.cancel')}
            </Button>
          </Actions>
        </form>
      )}
      {step.kind === 'confirm_link' && (
        <div role="group" aria-label={t('manual.heading')}>
          <p>{t('manual.confirm_link', { number: step.number })}</p>
          <Actions>
            <Button
              ref={confirm}
              size="small"
              isPrimary
              onClick={() =>
                run(
                  () => backend.linkTicket(step.number),
                  (after) => t('manual.linked', { number: after.autotask?.ticketNumber ?? step.number }),
                  step.number,
                )
              }
            >
              {t('manual.confirm_yes')}
            </Button>
            <Button size="small" isBasic onClick={() => setStep({ kind: 'enter' })}>
              {t('manual.cancel')}
            </Button>
          </Actions>
        </div>
      )}
      {step.kind === 'confirm_unlink' && (
        <div role="group" aria-label={t('manual.heading')}>
          <p>{t('manual.confirm_unlink', { number: ticket.autotask?.ticketNumber ?? '' })}</p>
          <Actions>
            <Button
              ref={confirm}
              size="small"
              isPrimary
              isDanger
              onClick={() =>
                run(
                  () => backend.unlinkTicket(),
                  () => t('manual.unlinked'),
                  ticket.autotask?.ticketNumber ?? '',
                )
              }
            >
              {t('manual.confirm_unlink_yes')}
            </Button>
            <Button size="small" isBasic onClick={() => setStep({ kind: 'closed' })}>
              {t('manual.cancel')}
            </Button>
          </Actions>
        </div>
      )}
      {step.kind === 'working' && <p role="status">{t('manual.linking')}</p>}
      {outcome && (
        <p ref={result} tabIndex={-1} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.text}
        </p>
      )}
    </Box>
  )
}
