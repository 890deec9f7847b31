/** Every item of a paged scan (the gateway's change scans yield one page at a time), for tests that want the whole list. */
export async function allPages<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const items: T[] = []
  for await (const page of pages) items.push(...page)
  return items
}
