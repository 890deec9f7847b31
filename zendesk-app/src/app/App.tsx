import { Paragraph } from '@zendeskgarden/react-typography'
import type { ComponentType } from 'react'
import { t } from '../lib/i18n'
import type { ZafClient } from '../lib/zaf'
import { ClientProvider, useClient, useRegistration } from './ClientProvider'
import { GardenTheme, HostTheme } from './HostTheme'
import type { ColorScheme } from './HostTheme'
import { Localized } from './Localized'
import { TicketSidebar } from './locations/TicketSidebar'
import { SidebarOptionsContext, defaultSidebarOptions } from './sidebar-options'
import type { SidebarOptions } from './sidebar-options'

/** One component per manifest location (app_scaffolds' LOCATIONS map). */
const LOCATIONS: Record<string, ComponentType> = {
  ticket_sidebar: TicketSidebar,
}

function Location() {
  const { context } = useRegistration()
  const Component = LOCATIONS[context.location]
  return Component ? <Component /> : null
}

function Hosted({ colorScheme }: { colorScheme: ColorScheme }) {
  const client = useClient()
  return (
    <HostTheme client={client} initial={colorScheme}>
      <Localized client={client}>
        <Location />
      </Localized>
    </HostTheme>
  )
}

export interface AppProps {
  /** null when the page was opened outside Zendesk. */
  client: ZafClient | null
  options?: Partial<SidebarOptions>
  /** The scheme Zendesk put in the iframe's URL, used until the client answers. */
  colorScheme?: ColorScheme
}

export function App({ client, options, colorScheme = 'light' }: AppProps) {
  return (
    <SidebarOptionsContext.Provider value={{ ...defaultSidebarOptions, ...options }}>
      {client ? (
        <ClientProvider client={client}>
          <Hosted colorScheme={colorScheme} />
        </ClientProvider>
      ) : (
        <GardenTheme scheme={colorScheme}>
          <Paragraph>{t('outside_zendesk')}</Paragraph>
        </GardenTheme>
      )}
    </SidebarOptionsContext.Provider>
  )
}
