import { ThemeProvider } from '@zendeskgarden/react-theming'
import { Paragraph } from '@zendeskgarden/react-typography'
import type { ComponentType } from 'react'
import { t } from '../lib/i18n'
import type { ZafClient } from '../lib/zaf'
import { ClientProvider, useRegistration } from './ClientProvider'
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

export interface AppProps {
  /** null when the page was opened outside Zendesk. */
  client: ZafClient | null
  options?: Partial<SidebarOptions>
}

export function App({ client, options }: AppProps) {
  return (
    <ThemeProvider>
      <SidebarOptionsContext.Provider value={{ ...defaultSidebarOptions, ...options }}>
        {client ? (
          <ClientProvider client={client}>
            <Location />
          </ClientProvider>
        ) : (
          <Paragraph>{t('outside_zendesk')}</Paragraph>
        )}
      </SidebarOptionsContext.Provider>
    </ThemeProvider>
  )
}
