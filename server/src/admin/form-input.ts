import { invalidInput } from './admin-error'

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * Reads a form body field by field, collecting one clear message per bad field; `done()` throws
 * them together (a 400 the console shows next to each field) so nothing is saved.
 */
export function readForm(body: unknown) {
  const record = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
  const errors: Record<string, string> = {}

  const fail = (field: string, message: string): void => {
    errors[field] ??= message
  }

  return {
    errors,
    fail,
    text(field: string, label: string, options: { required?: boolean; max?: number; pattern?: RegExp; patternMessage?: string } = {}): string {
      const raw = record[field]
      const value = typeof raw === 'string' ? raw.trim() : raw === undefined || raw === null ? '' : null
      if (value === null) {
        fail(field, `${label} must be text.`)
        return ''
      }
      if (value === '' && options.required !== false) fail(field, `Enter ${label.toLowerCase()}.`)
      else if (options.max && value.length > options.max) fail(field, `${label} is too long (at most ${options.max} characters).`)
      else if (value !== '' && options.pattern && !options.pattern.test(value)) fail(field, options.patternMessage ?? `${label} is not valid.`)
      return value
    },
    /** Secrets are not trimmed: spaces may be part of them. */
    secret(field: string, label: string, required: boolean): string | undefined {
      const raw = record[field]
      if (raw === undefined || raw === null || raw === '') {
        if (required) fail(field, `Enter ${label.toLowerCase()}.`)
        return undefined
      }
      if (typeof raw !== 'string') {
        fail(field, `${label} must be text.`)
        return undefined
      }
      return raw
    },
    boolean(field: string): boolean {
      return record[field] === true || record[field] === 'true'
    },
    integer(field: string, label: string, options: { required?: boolean; min?: number } = {}): number | null {
      const raw = record[field]
      if (raw === undefined || raw === null || raw === '') {
        if (options.required) fail(field, `Choose ${label.toLowerCase()}.`)
        return null
      }
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN
      if (!Number.isSafeInteger(value) || value < (options.min ?? 0)) {
        fail(field, `${label} must be a whole number${options.min !== undefined ? ` of at least ${options.min}` : ''}.`)
        return null
      }
      return value
    },
    date(field: string, label: string): Date | null {
      const raw = record[field]
      if (typeof raw !== 'string' || raw.trim() === '') {
        fail(field, `Enter ${label.toLowerCase()}.`)
        return null
      }
      const value = new Date(raw.trim())
      if (Number.isNaN(value.getTime())) {
        fail(field, `${label} is not a date (use YYYY-MM-DD).`)
        return null
      }
      return value
    },
    raw(field: string): unknown {
      return record[field]
    },
    done(): void {
      if (Object.keys(errors).length > 0) throw invalidInput(errors)
    },
  }
}
