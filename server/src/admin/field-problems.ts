import { invalidInput } from './admin-error'

/**
 * What a form's schema cannot see (a wrong current password, a name already taken, a date in the
 * future), one message per field; `throwIfAny` refuses them together as the console shows them,
 * next to each field, so nothing is saved.
 */
export function fieldProblems() {
  const problems: Record<string, string> = {}
  return {
    add(field: string, message: string): void {
      problems[field] ??= message
    },
    throwIfAny(): void {
      if (Object.keys(problems).length > 0) throw invalidInput(problems)
    },
  }
}
