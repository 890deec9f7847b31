import { Button } from '@zendeskgarden/react-buttons'
import { Alert } from '@zendeskgarden/react-notifications'
import { useEffect, useState } from 'react'
import { get, post, put } from '../api'
import { CheckField, FormError, Section, Stack, useSubmit } from '../components/forms'
import type { Visibility } from '@psa-link/shared/admin-api'

/**
 * Zendesk-side visibility: the linked Autotask ticket's number and status in two Zendesk ticket
 * fields and a tag, for Zendesk's own views, triggers and reports. On by default.
 */
export function LinkVisibilitySection({ title }: { title: string }) {
  const [visibility, setVisibility] = useState<Visibility | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const form = useSubmit()

  async function load() {
    setVisibility(await get<Visibility>('/zendesk/visibility'))
  }
  useEffect(() => {
    void load()
  }, [])

  if (!visibility) return null
  return (
    <Section title={title}>
      <Stack>
        <p style={{ margin: 0 }}>
          Linked tickets show their Autotask ticket number and status in the ticket fields “{visibility.titles.number}” and “{visibility.titles.status}”, and
          carry the tag <code>{visibility.tag}</code>, so Zendesk views, triggers and reports can use them. PSA Link writes them only when they change, and
          clears them when a ticket is unlinked.
        </p>
        <CheckField
          name="showLinksInZendesk"
          label="Show the Autotask ticket number and status in Zendesk"
          checked={visibility.enabled}
          onChange={async (enabled) => {
            const saved = await form.submit(() => put<{ enabled: boolean }>('/zendesk/visibility', { enabled }))
            if (saved) {
              await load()
              setNotice(
                saved.enabled ? 'Linked tickets show their Autotask ticket in Zendesk.' : 'Zendesk no longer gets the Autotask ticket number and status.',
              )
            }
          }}
        />
        <p style={{ margin: 0 }} data-testid="link-fields">
          {visibility.fields
            ? `The fields exist in Zendesk (ids ${visibility.fields.numberFieldId} and ${visibility.fields.statusFieldId}).`
            : 'The two fields do not exist in Zendesk yet: nothing is written until they do.'}
        </p>
        {visibility.fields ? null : (
          <div>
            <Button
              onClick={async () => {
                if (await form.submit(() => post('/zendesk/visibility/fields'))) {
                  // The notice comes with the page as it now is, not before it.
                  await load()
                  setNotice('The Autotask ticket fields were created in Zendesk.')
                }
              }}
            >
              Create the fields in Zendesk
            </Button>
          </div>
        )}
        <FormError message={form.error} />
        {notice ? <Alert type="success">{notice}</Alert> : null}
      </Stack>
    </Section>
  )
}
