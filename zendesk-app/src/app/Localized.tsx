import { Fragment, useEffect, useState } from 'react'
import type { ReactNode } from 'react'
import { loadLocale } from '../lib/i18n'
import type { ZafClient } from '../lib/zaf'

/** Renders once the agent's language (`currentUser.locale`) is loaded; English when it is not shipped. */
export function Localized({ client, children }: { client: ZafClient; children: ReactNode }) {
  const [locale, setLocale] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    client
      .get('currentUser')
      .then(
        (answer) => (answer['currentUser'] as { locale?: unknown } | undefined)?.locale,
        () => null,
      )
      .then((wanted) => loadLocale(typeof wanted === 'string' ? wanted : null))
      .then((loaded) => {
        if (!live) return
        document.documentElement.lang = loaded
        setLocale(loaded)
      })
    return () => {
      live = false
    }
  }, [client])
  if (!locale) return null
  return <Fragment key={locale}>{children}</Fragment>
}
