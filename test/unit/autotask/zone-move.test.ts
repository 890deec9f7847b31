import { isMovedZoneError } from '../../../server/src/adapters/autotask/core/zone-move'
import { IntegrationError } from '../../../server/src/errors/integration-error'

function autotask(status: number | undefined, remoteMessage: string, code = 'rejected') {
  return new IntegrationError({ system: 'autotask', code, retryable: false, remoteMessage, ...(status === undefined ? {} : { status }) })
}

describe('isMovedZoneError', () => {
  it.each([
    ['a 401 from the zone', autotask(401, 'HTTP 401 Unauthorized', 'auth')],
    ['a 404 from the zone', autotask(404, 'Not Found', 'http_error')],
    ['REST saying it cannot place the user', autotask(500, 'Zone information could not be determined')],
  ])('takes %s for a possible zone move', (_label, error) => {
    expect(isMovedZoneError(error)).toBe(true)
  })

  it.each([
    ['an outage', autotask(503, 'Service Unavailable', 'unavailable')],
    ['a server fault', autotask(500, 'Server was unable to process request.', 'soap_fault')],
    ['a rejected record', autotask(500, 'Value does not exist for the required field Title. ; on record number [1].')],
    ['a Zendesk 401', new IntegrationError({ system: 'zendesk', code: 'auth', retryable: false, remoteMessage: "Couldn't authenticate you", status: 401 })],
    ['a plain error', new Error('401')],
  ])('does not take %s for a zone move', (_label, error) => {
    expect(isMovedZoneError(error)).toBe(false)
  })
})
