import type { BenchStack } from './bench-stack'

/** What `GET /admin/api/backfill/dry-run/:id` answers. */
export interface DryRunView {
  id: number
  state: 'queued' | 'running' | 'succeeded' | 'failed'
  progress: { pages: number; ticketsScanned: number }
  error: string | null
  estimate: { autotaskRequests: number; zendeskRequests: number; routedTickets: number; notes: number; [key: string]: unknown } | null
}

/**
 * The dry run is a job: the POST answers 202 with its id, the console polls it. Its answer time is
 * the time until the estimate is ready (POST to a finished GET), which is what an admin waits for.
 */
export async function runDryRun(
  stack: BenchStack,
  body: { startDate: string; includeSolved: boolean },
  pollMs = 100,
): Promise<{ seconds: number; view: DryRunView }> {
  const started = performance.now()
  const response = await stack.admin.post('/backfill/dry-run', body)
  if (response.status !== 202) throw new Error(`dry run answered ${response.status}: ${JSON.stringify(response.body)}`)
  const id = Number((response.body as { id: number }).id)
  for (;;) {
    const view = (await stack.admin.get(`/backfill/dry-run/${id}`)).body as unknown as DryRunView
    if (view.state === 'failed') throw new Error(`dry run ${id} failed: ${view.error ?? ''}`)
    if (view.state === 'succeeded' && view.estimate) return { seconds: (performance.now() - started) / 1000, view }
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}
