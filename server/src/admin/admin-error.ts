/**
 * What an admin action refuses, with a status for the route and, for forms, a message per field
 * (the console shows each next to its field).
 */
export class AdminError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'AdminError'
  }
}

export const invalidInput = (fieldErrors: Record<string, string>, message = 'Some fields need attention.'): AdminError =>
  new AdminError(400, 'invalid_input', message, fieldErrors)

export const notFound = (what: string): AdminError => new AdminError(404, 'not_found', `${what} was not found.`)

export const forbidden = (message = 'Your admin login does not allow this.'): AdminError => new AdminError(403, 'forbidden', message)
