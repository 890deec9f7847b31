import en from '../../translations/en.json'

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>
}[keyof T & string]

/** Every UI string key, checked at compile time against translations/en.json (`ui.*`). */
export type TranslationKey = Leaves<typeof en.ui>

type Vars = Record<string, string | number>
type Dictionary = Record<string, unknown>

/**
 * The languages shipped besides English, each its own chunk: an agent downloads only theirs. A
 * locale Zendesk reports as `de-CH` or `de-de` uses `de`.
 */
const LOADERS: Record<string, () => Promise<{ default: { ui: unknown } }>> = {
  de: () => import('../../translations/de.json'),
}

let active: { locale: string; ui: Dictionary } = { locale: 'en', ui: en.ui }

/** The shipped language for a Zendesk locale (`currentUser.locale`), English when there is none. */
export function supportedLocale(locale: string | null | undefined): string {
  const language = (locale ?? '').toLowerCase().split(/[-_]/)[0] ?? ''
  return language in LOADERS ? language : 'en'
}

/** Loads the agent's language before the sidebar renders; English stays the fallback per key. */
export async function loadLocale(locale: string | null | undefined): Promise<string> {
  const chosen = supportedLocale(locale)
  if (chosen === 'en') {
    active = { locale: 'en', ui: en.ui }
    return chosen
  }
  try {
    const loaded = await LOADERS[chosen]!()
    active = { locale: chosen, ui: loaded.default.ui as Dictionary }
    return chosen
  } catch {
    active = { locale: 'en', ui: en.ui }
    return 'en'
  }
}

export function currentLocale(): string {
  return active.locale
}

function lookup(dictionary: Dictionary, key: string): string | null {
  let node: unknown = dictionary
  for (const part of key.split('.')) {
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined
  }
  return typeof node === 'string' ? node : null
}

/** Looks a UI string up in the agent's language (English when it lacks the key) and fills `{{name}}`. */
export function t(key: TranslationKey, vars: Vars = {}): string {
  // A missing key shows itself rather than an empty sidebar; the type above makes this unreachable.
  const text = lookup(active.ui, key) ?? lookup(en.ui, key) ?? key
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole))
}

export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(active.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
}

/** "10:42" (today) or a date and time: when a retry is due. */
export function formatClockTime(iso: string, now: number = Date.now()): string {
  const date = new Date(iso)
  const sameDay = new Date(now).toDateString() === date.toDateString()
  return new Intl.DateTimeFormat(active.locale, sameDay ? { timeStyle: 'short' } : { dateStyle: 'short', timeStyle: 'short' }).format(date)
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
]

/** "3 minutes ago", "12 sec. ago", "in 2 hours": for last-synced, checked and next-retry times. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const diff = new Date(iso).getTime() - now
  if (Math.abs(diff) < 5_000) return t('time.just_now')
  const format = new Intl.RelativeTimeFormat(active.locale, { numeric: 'auto', style: Math.abs(diff) < 60_000 ? 'short' : 'long' })
  for (const [unit, size] of units) {
    if (Math.abs(diff) >= size) return format.format(Math.round(diff / size), unit)
  }
  return t('time.just_now')
}
