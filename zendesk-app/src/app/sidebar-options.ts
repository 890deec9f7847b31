import { createContext } from 'react'

export interface SidebarOptions {
  /** How often a queued Sync now is polled, and how many times before giving up the wait. */
  syncPollIntervalMs: number
  syncPollLimit: number
  /** How often the state is re-read while a sync of the ticket is pending or running. */
  busyRefreshMs: number
  /**
   * How often the state is re-read while the sidebar is visible (the API reads PostgreSQL only). 20 s:
   * with the backend's 30 s scan of watched tickets' notes, a technician's note shows within ~55 s.
   */
  idleRefreshMs: number
  /** How often relative times are redrawn. */
  clockTickMs: number
}

export const defaultSidebarOptions: SidebarOptions = {
  syncPollIntervalMs: 1500,
  syncPollLimit: 20,
  busyRefreshMs: 3000,
  idleRefreshMs: 20_000,
  clockTickMs: 5000,
}

export const SidebarOptionsContext = createContext<SidebarOptions>(defaultSidebarOptions)
