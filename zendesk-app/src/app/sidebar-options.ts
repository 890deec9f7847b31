import { createContext } from 'react'

export interface SidebarOptions {
  /** How often a queued Sync now is polled, and how many times before giving up the wait. */
  syncPollIntervalMs: number
  syncPollLimit: number
}

export const defaultSidebarOptions: SidebarOptions = { syncPollIntervalMs: 1500, syncPollLimit: 20 }

export const SidebarOptionsContext = createContext<SidebarOptions>(defaultSidebarOptions)
