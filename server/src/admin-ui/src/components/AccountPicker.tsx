import { Button } from '@zendeskgarden/react-buttons'
import { useState } from 'react'
import { get } from '../api'
import { Row, SelectField, TextField, useSubmit } from './forms'
import type { FoundAccounts } from '@psa-link/shared/admin-api'

/**
 * Picks an Autotask account by name instead of its id: a bounded search in one connection
 * (/needs-action/accounts), then a choice among the accounts found.
 */
export function AccountPicker({
  name,
  connectionId,
  value,
  onChange,
  error,
}: {
  name: string
  connectionId: string
  value: string
  onChange(accountId: string): void
  error?: string | undefined
}) {
  const [text, setText] = useState('')
  const [found, setFound] = useState<FoundAccounts | null>(null)
  const search = useSubmit()
  const find = async () => {
    const result = await search.submit(() => get<FoundAccounts>(`/needs-action/accounts?${new URLSearchParams({ connectionId, q: text })}`))
    setFound(result)
    onChange(result?.accounts[0] ? String(result.accounts[0].id) : '')
  }
  return (
    <>
      <Row>
        <TextField
          name={`${name}-search`}
          label="Autotask account name"
          value={text}
          onChange={setText}
          error={search.fieldErrors.q ?? search.fieldErrors.connectionId ?? search.error ?? undefined}
        />
        <Button size="small" disabled={search.busy} onClick={find} style={{ alignSelf: 'flex-end' }}>
          Find accounts
        </Button>
      </Row>
      {found ? (
        found.accounts.length === 0 ? (
          <p role="status">No active Autotask account’s name contains “{text.trim()}”.</p>
        ) : (
          <SelectField
            name={name}
            label={found.more ? 'Autotask account (the first 20 found: type more of the name to narrow)' : 'Autotask account'}
            value={value}
            onChange={onChange}
            error={error}
            options={found.accounts.map((account) => ({ value: String(account.id), label: `${account.name} (${account.id})` }))}
          />
        )
      ) : error ? (
        <p role="alert">{error}</p>
      ) : null}
    </>
  )
}
