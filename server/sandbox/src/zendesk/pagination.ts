import { badRequest } from './errors'

/**
 * Zendesk's two ways of paging a list (developer.zendesk.com/api-reference/introduction/pagination):
 * offset (`page`, `per_page` ≤ 100 → `next_page`, `previous_page`, `count`) and cursor (`page[size]`
 * ≤ 100, `page[after]`, `page[before]` → `meta.has_more/after_cursor/before_cursor`, `links.next/prev`).
 * A request with any `page[...]` parameter is a cursor request. Offset paging stops after the first
 * 100 pages (10,000 records) with a 400, as Zendesk has done since 2024.
 */
type Query = Record<string, string | undefined>

export interface PageOf<T> {
  items: T[]
  /** The keys to merge into the answer next to the list. */
  envelope: Record<string, unknown>
}

const MAX_OFFSET_RECORDS = 10_000

function positiveInt(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value)) return null
  return Number(value)
}

function encodeCursor(key: number): string {
  return Buffer.from(`k:${key}`).toString('base64url')
}

function decodeCursor(cursor: string, parameter: string): number {
  const match = /^k:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (!match?.[1]) throw badRequest('InvalidPaginationParameter', `${parameter} is not a valid cursor`)
  return Number(match[1])
}

export function isCursorRequest(query: Query): boolean {
  return Object.keys(query).some((key) => key.startsWith('page['))
}

/** `baseUrl` is the list's own URL without a query; `keep` are the filters to repeat in links. */
export function paginate<T>(items: T[], keyOf: (item: T) => number, query: Query, baseUrl: string, keep: Record<string, string> = {}): PageOf<T> {
  const link = (params: Record<string, string>): string => `${baseUrl}?${new URLSearchParams({ ...keep, ...params })}`
  if (!isCursorRequest(query)) {
    const perPage = query.per_page === undefined ? 100 : positiveInt(query.per_page)
    const page = query.page === undefined ? 1 : positiveInt(query.page)
    if (perPage === null || perPage < 1 || page === null || page < 1)
      throw badRequest('InvalidPaginationParameter', 'page and per_page must be positive integers')
    const size = Math.min(100, perPage)
    if ((page - 1) * size >= MAX_OFFSET_RECORDS) {
      throw badRequest('InvalidPaginationParameter', 'Offset pagination is limited to the first 100 pages. Use cursor pagination instead.')
    }
    const slice = items.slice((page - 1) * size, page * size)
    return {
      items: slice,
      envelope: {
        next_page: page * size < items.length ? link({ page: String(page + 1), per_page: String(size) }) : null,
        previous_page: page > 1 ? link({ page: String(page - 1), per_page: String(size) }) : null,
        count: items.length,
      },
    }
  }
  const size = query['page[size]'] === undefined ? 100 : positiveInt(query['page[size]'])
  if (size === null || size < 1 || size > 100) throw badRequest('InvalidPaginationParameter', 'page[size] must be an integer between 1 and 100')
  const keys = items.map(keyOf)
  let start = 0
  let end = items.length
  if (query['page[after]']) {
    const after = decodeCursor(query['page[after]'], 'page[after]')
    start = keys.indexOf(after) + 1
    end = Math.min(items.length, start + size)
  } else if (query['page[before]']) {
    const before = decodeCursor(query['page[before]'], 'page[before]')
    end = Math.max(0, keys.indexOf(before))
    start = Math.max(0, end - size)
  } else {
    end = Math.min(items.length, size)
  }
  const slice = items.slice(start, end)
  const first = slice[0]
  const last = slice[slice.length - 1]
  const afterCursor = last === undefined ? null : encodeCursor(keyOf(last))
  const beforeCursor = first === undefined ? null : encodeCursor(keyOf(first))
  const hasMore = query['page[before]'] ? start > 0 : end < items.length
  return {
    items: slice,
    envelope: {
      meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: beforeCursor },
      links: {
        next: end < items.length && afterCursor ? link({ 'page[after]': afterCursor, 'page[size]': String(size) }) : null,
        prev: start > 0 && beforeCursor ? link({ 'page[before]': beforeCursor, 'page[size]': String(size) }) : null,
      },
    },
  }
}
