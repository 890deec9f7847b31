import { DEFAULT_THEME, ThemeProvider, getColor } from '@zendeskgarden/react-theming'
import type { IGardenTheme } from '@zendeskgarden/react-theming'
import { useEffect, useMemo, useState } from 'react'
import type { ReactNode } from 'react'
import { createGlobalStyle } from 'styled-components'
import type { ZafClient } from '../lib/zaf'

export type ColorScheme = 'light' | 'dark'

/** The iframe's own page follows the scheme too: Zendesk shows it on its own background. */
const PageStyle = createGlobalStyle`
  html, body {
    margin: 0;
    background: ${({ theme }) => getColor({ theme, variable: 'background.default' })};
    color: ${({ theme }) => getColor({ theme, variable: 'foreground.default' })};
    color-scheme: ${({ theme }) => (theme as IGardenTheme).colors.base};
  }
`

export function asColorScheme(value: unknown): ColorScheme | null {
  const scheme = typeof value === 'object' && value !== null ? (value as { colorScheme?: unknown }).colorScheme : value
  return scheme === 'dark' || scheme === 'light' ? scheme : null
}

/** The scheme in the iframe's URL (`?colorScheme=dark`): Zendesk puts it there before ZAF answers. */
export function colorSchemeFromUrl(search: string): ColorScheme {
  return asColorScheme(new URLSearchParams(search).get('colorScheme')) ?? 'light'
}

export function GardenTheme({ scheme, children }: { scheme: ColorScheme; children: ReactNode }) {
  const theme = useMemo<IGardenTheme>(() => ({ ...DEFAULT_THEME, colors: { ...DEFAULT_THEME.colors, base: scheme } }), [scheme])
  return (
    <ThemeProvider theme={theme}>
      <PageStyle />
      {children}
    </ThemeProvider>
  )
}

/**
 * Zendesk's light or dark mode, as Zendesk documents it for apps
 * (developer.zendesk.com/documentation/apps/app-developer-guide/dark-mode): the `colorScheme`
 * property, then its `colorScheme.changed` event whenever the agent switches.
 */
export function HostTheme({ client, initial, children }: { client: ZafClient; initial: ColorScheme; children: ReactNode }) {
  const [scheme, setScheme] = useState<ColorScheme>(initial)
  useEffect(() => {
    let live = true
    client.get('colorScheme').then(
      (answer) => {
        const value = asColorScheme(answer['colorScheme'])
        if (live && value) setScheme(value)
      },
      () => undefined,
    )
    const onChange = (payload?: unknown) => {
      const value = asColorScheme(payload)
      if (value) setScheme(value)
    }
    client.on('colorScheme.changed', onChange)
    return () => {
      live = false
      client.off('colorScheme.changed', onChange)
    }
  }, [client])
  return (
    <GardenTheme scheme={scheme}>
      <div data-color-scheme={scheme}>{children}</div>
    </GardenTheme>
  )
}
