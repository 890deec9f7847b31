/**
 * How far an Autotask change scan re-reads behind its watermark. LastActivityDate is not exact, so
 * a short overlap always. Re-reading is harmless, every write being idempotent, but it costs requests.
 */
export const LAST_ACTIVITY_OVERLAP_SECONDS = 10 * 60
