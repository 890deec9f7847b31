import { Checkbox, Field, Hint, Input, Label, Message, Select } from '@zendeskgarden/react-forms'
import { Alert, Title } from '@zendeskgarden/react-notifications'
import { useState, type ReactNode } from 'react'
import styled from 'styled-components'
import { ApiError } from '../api'

export const Stack = styled.div`
  display: flex;
  flex-direction: column;
  gap: 16px;
  max-width: 640px;
`

export const Row = styled.div`
  display: flex;
  gap: 12px;
  align-items: center;
  flex-wrap: wrap;
`

interface TextFieldProps {
  name: string
  label: string
  value: string
  onChange(value: string): void
  error?: string | undefined
  hint?: string
  type?: string
}

/** A labelled input with its error message right under it (the API's fieldErrors). */
export function TextField({ name, label, value, onChange, error, hint, type = 'text' }: TextFieldProps) {
  return (
    <Field>
      <Label>{label}</Label>
      {hint ? <Hint>{hint}</Hint> : null}
      <Input name={name} type={type} value={value} onChange={(event) => onChange(event.target.value)} validation={error ? 'error' : undefined} />
      {error ? (
        <Message validation="error" data-field-error={name}>
          {error}
        </Message>
      ) : null}
    </Field>
  )
}

interface SelectFieldProps {
  name: string
  label: string
  value: string
  options: Array<{ value: string; label: string }>
  onChange(value: string): void
  error?: string | undefined
  hint?: string
}

export function SelectField({ name, label, value, options, onChange, error, hint }: SelectFieldProps) {
  return (
    <Field>
      <Label>{label}</Label>
      {hint ? <Hint>{hint}</Hint> : null}
      <Select name={name} value={value} onChange={(event) => onChange(event.target.value)} validation={error ? 'error' : undefined}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </Select>
      {error ? (
        <Message validation="error" data-field-error={name}>
          {error}
        </Message>
      ) : null}
    </Field>
  )
}

export function CheckField({ name, label, checked, onChange }: { name: string; label: string; checked: boolean; onChange(value: boolean): void }) {
  return (
    <Field>
      <Checkbox name={name} checked={checked} onChange={(event) => onChange(event.target.checked)}>
        <Label>{label}</Label>
      </Checkbox>
    </Field>
  )
}

/** Runs a form submission, keeping the field errors and the form-level message the API returned. */
export function useSubmit() {
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  async function submit<T>(work: () => Promise<T>): Promise<T | null> {
    setBusy(true)
    setError(null)
    setFieldErrors({})
    try {
      return await work()
    } catch (failure) {
      if (failure instanceof ApiError) {
        setFieldErrors(failure.fieldErrors)
        setError(failure.message)
      } else setError(failure instanceof Error ? failure.message : String(failure))
      return null
    } finally {
      setBusy(false)
    }
  }
  /** Forgets the last submission's errors (the person has changed what they were about). */
  const clear = () => {
    setError(null)
    setFieldErrors({})
  }
  return { fieldErrors, error, busy, submit, setError, clear }
}

export function FormError({ message }: { message: string | null }) {
  if (!message) return null
  return (
    <Alert type="error" role="alert">
      <Title>Not saved</Title>
      {message}
    </Alert>
  )
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section style={{ marginBottom: 32 }}>
      <h2 style={{ fontSize: 18, margin: '0 0 12px' }}>{title}</h2>
      {children}
    </section>
  )
}
