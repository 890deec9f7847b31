export * from './api/ticket-state'
