import { errorFromRestResponse, restBaseUrl } from '../../../server/src/adapters/autotask/index'
import { camelCase } from '../../../server/sandbox/src/autotask/rest-names'

describe('errorFromRestResponse', () => {
  it('keeps a validation error non-retryable with Autotask message when REST answers 500 with errors', () => {
    const error = errorFromRestResponse(500, JSON.stringify({ errors: ['Picklist value [3] does not exist for priority. ; on record number [1].'] }))
    expect(error).toMatchObject({
      system: 'autotask',
      code: 'rejected',
      retryable: false,
      status: 500,
      remoteMessage: 'Picklist value [3] does not exist for priority. ; on record number [1].',
    })
  })

  it('honours Retry-After in seconds and as a date when Autotask sends it with a 429', () => {
    expect(errorFromRestResponse(429, JSON.stringify({ errors: ['Request threshold exceeded'] }), '120')).toMatchObject({
      code: 'hourly_threshold',
      retryable: true,
      retryAfterSeconds: 120,
    })
    const date = new Date(Date.now() + 90_000).toUTCString()
    const fromDate = errorFromRestResponse(429, '', date)
    expect(fromDate).toMatchObject({ code: 'hourly_threshold', retryable: true })
    expect(fromDate.retryAfterSeconds).toBeGreaterThan(80)
  })

  it('recognises the thread threshold by its words whatever the status', () => {
    const message = 'Thread Threshold Exceeded - The Autotask API thread threshold of 3 threads has been exceeded. Method: query'
    expect(errorFromRestResponse(500, JSON.stringify({ errors: [message] }))).toMatchObject({ code: 'thread_threshold', retryable: true, status: 500 })
    expect(errorFromRestResponse(429, JSON.stringify({ errors: [message] }), '7')).toMatchObject({ code: 'thread_threshold', retryAfterSeconds: 7 })
  })

  it('tells auth, integration code, outage and routing problems apart when the body says so', () => {
    expect(errorFromRestResponse(401, '')).toMatchObject({ code: 'auth', retryable: false })
    expect(errorFromRestResponse(500, JSON.stringify({ errors: ['IntegrationCode is invalid.'] }))).toMatchObject({
      code: 'integration_code',
      retryable: false,
    })
    expect(errorFromRestResponse(500, JSON.stringify({ errors: ["User authentication failed: the API user 'x' was not found."] }))).toMatchObject({
      code: 'auth',
      retryable: false,
    })
    expect(errorFromRestResponse(503, '<html><head><title>Service Unavailable</title></head></html>', '30')).toMatchObject({
      code: 'unavailable',
      retryable: true,
      retryAfterSeconds: 30,
      remoteMessage: 'Service Unavailable',
    })
    expect(errorFromRestResponse(500, '')).toMatchObject({ code: 'unavailable', retryable: true })
    expect(errorFromRestResponse(405, JSON.stringify({ Message: "The requested resource does not support http method 'GET'." }))).toMatchObject({
      code: 'http_error',
      retryable: false,
      status: 405,
    })
  })
})

describe('errorFromRestResponse by status and body shape first', () => {
  it('treats a 401 as refused credentials whatever its body says', () => {
    expect(errorFromRestResponse(401, JSON.stringify({ errors: ['Picklist value [3] does not exist for priority.'] }))).toMatchObject({
      code: 'auth',
      retryable: false,
      status: 401,
    })
  })

  it('treats a 5xx without Autotask errors array as the server failing, even when its words look like a record error', () => {
    expect(errorFromRestResponse(500, JSON.stringify({ Message: 'Value does not exist for the required field title.' }))).toMatchObject({
      code: 'unavailable',
      retryable: true,
    })
    expect(errorFromRestResponse(500, '<html><head><title>Runtime Error</title></head></html>')).toMatchObject({
      code: 'unavailable',
      retryable: true,
      remoteMessage: 'Runtime Error',
    })
  })

  it('reads an unknown user from zoneInformation words in an errors array as an auth problem', () => {
    expect(errorFromRestResponse(500, JSON.stringify({ errors: ['Zone information could not be determined'] }))).toMatchObject({
      code: 'auth',
      retryable: false,
      status: 500,
    })
  })

  it('keeps a 429 a threshold and tells the thread limit by its words', () => {
    expect(errorFromRestResponse(429, '')).toMatchObject({ code: 'hourly_threshold', retryable: true })
    expect(errorFromRestResponse(429, JSON.stringify({ errors: ['The Autotask API thread threshold of 3 threads has been exceeded.'] }))).toMatchObject({
      code: 'thread_threshold',
      retryable: true,
    })
  })
})

describe('restBaseUrl', () => {
  it.each([
    ['https://webservices5.autotask.net/ATServicesRest/', 'https://webservices5.autotask.net/ATServicesRest/V1.0/'],
    ['https://webservices5.autotask.net/atservicesrest/v1.0/', 'https://webservices5.autotask.net/ATServicesRest/V1.0/'],
    ['https://webservices5.autotask.net/ATServices/1.6/atws.asmx', 'https://webservices5.autotask.net/ATServicesRest/V1.0/'],
    ['http://127.0.0.1:3000/sandbox/autotask/ATServices/1.6/atws.asmx', 'http://127.0.0.1:3000/sandbox/autotask/ATServicesRest/V1.0/'],
    ['https://webservices14.autotask.net', 'https://webservices14.autotask.net/ATServicesRest/V1.0/'],
  ])('turns %s into the versioned REST base', (zoneUrl, expected) => {
    expect(restBaseUrl(zoneUrl)).toBe(expected)
  })
})

describe('REST field names', () => {
  it.each([
    ['LastActivityDate', 'lastActivityDate'],
    ['QueueID', 'queueID'],
    ['RMMDeviceID', 'rmmDeviceID'],
    ['AEMAlertID', 'aemAlertID'],
    ['id', 'id'],
  ])('camel-cases %s as %s', (soap, rest) => {
    expect(camelCase(soap)).toBe(rest)
  })
})
