import { createContext, useContext, useEffect, useState } from 'react'
import type { ReactNode } from 'react'
import type { ZafClient, ZafRegistration } from '../lib/zaf'

interface ClientContextValue {
  client: ZafClient
  registration: ZafRegistration
}

const ClientContext = createContext<ClientContextValue | null>(null)

/** Renders its children once the host has registered the app (app_scaffolds' ClientProvider). */
export function ClientProvider({ client, children }: { client: ZafClient; children: ReactNode }) {
  const [registration, setRegistration] = useState<ZafRegistration | null>(null)
  useEffect(() => {
    let live = true
    void client.whenRegistered().then((value) => {
      if (live) setRegistration(value)
    })
    return () => {
      live = false
    }
  }, [client])
  if (!registration) return null
  return <ClientContext.Provider value={{ client, registration }}>{children}</ClientContext.Provider>
}

function useClientContext(): ClientContextValue {
  const value = useContext(ClientContext)
  if (!value) throw new Error('useClient() needs a <ClientProvider> above it')
  return value
}

export function useClient(): ZafClient {
  return useClientContext().client
}

export function useRegistration(): ZafRegistration {
  return useClientContext().registration
}
