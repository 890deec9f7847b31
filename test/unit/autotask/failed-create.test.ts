import { failedCreate, savedButNotReadBack } from '../../../server/src/adapters/autotask/core/autotask-errors'
import { IntegrationError } from '../../../server/src/errors/integration-error'

function autotaskError(code: string, extra: { status?: number; cause?: unknown } = {}): IntegrationError {
  return new IntegrationError({ system: 'autotask', code, retryable: code !== 'rejected', remoteMessage: `${code} happened.`, ...extra })
}

describe('failedCreate', () => {
  it.each([
    ['a timeout', autotaskError('timeout')],
    ['a server fault', autotaskError('soap_fault', { status: 500 })],
    ['a gateway 502', autotaskError('unavailable', { status: 502 })],
    ['a 500 with a transient message', autotaskError('unavailable', { status: 500 })],
    ['a reset connection (axios)', autotaskError('network', { cause: { code: 'ECONNRESET' } })],
    ['a closed socket (fetch)', autotaskError('network', { cause: { cause: { code: 'UND_ERR_SOCKET' } } })],
    ['an unreadable 200', autotaskError('unexpected_response', { status: 200 })],
  ])('marks the create outcome_unknown when it failed with %s', (_, error) => {
    const result = failedCreate(error)
    expect(result).toMatchObject({ system: 'autotask', code: 'outcome_unknown', retryable: true })
    expect(result.remoteMessage).toContain(error.remoteMessage)
    expect(result.status).toBe(error.status)
  })

  it.each([
    ['the thread threshold', autotaskError('thread_threshold')],
    ['the hourly threshold', autotaskError('hourly_threshold', { status: 429 })],
    ['an outage page (503)', autotaskError('unavailable', { status: 503 })],
    ['a refused connection (axios)', autotaskError('network', { cause: { code: 'ECONNREFUSED' } })],
    ['a refused connection (fetch)', autotaskError('network', { cause: { cause: { code: 'ECONNREFUSED' } } })],
    ['a rejected record', autotaskError('rejected', { status: 500 })],
    ['refused credentials', autotaskError('auth', { status: 401 })],
  ])('keeps the error as it is when the create failed with %s', (_, error) => {
    expect(failedCreate(error)).toBe(error)
  })

  it('marks a saved create whose read-back failed outcome_unknown when the read fails', () => {
    expect(savedButNotReadBack(autotaskError('unavailable', { status: 503 }))).toMatchObject({ code: 'outcome_unknown', retryable: true })
  })
})
