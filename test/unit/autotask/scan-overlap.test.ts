import { createAutotaskRestGateway } from '../../../server/src/adapters/autotask/rest/rest-gateway'
import type { AutotaskRestClient } from '../../../server/src/adapters/autotask/rest/rest-client'
import type { AutotaskSoapClient } from '../../../server/src/adapters/autotask/soap/soap-client'
import { createAutotaskSoapGateway } from '../../../server/src/adapters/autotask/soap/soap-gateway'
import { easternScanOverlapSeconds } from '../../../server/src/adapters/autotask/soap/scan-overlap'

// 2026-11-01 02:00 EDT → 01:00 EST happens at 06:00 UTC.
const AUTUMN_CHANGE = new Date('2026-11-01T06:30:00Z')

describe('easternScanOverlapSeconds', () => {
  it('re-reads ten minutes on an ordinary day', () => {
    expect(easternScanOverlapSeconds(new Date('2026-07-15T12:00:00Z'))).toBe(600)
  })

  it('re-reads more than the repeated hour around the autumn change to standard time', () => {
    expect(easternScanOverlapSeconds(AUTUMN_CHANGE)).toBeGreaterThan(3600)
  })

  it('re-reads more than an hour around the spring change to daylight time', () => {
    // 2026-03-08 02:00 EST → 03:00 EDT happens at 07:00 UTC.
    expect(easternScanOverlapSeconds(new Date('2026-03-08T08:00:00Z'))).toBeGreaterThan(3600)
  })
})

describe('the scan overlap each Autotask gateway reports', () => {
  // Only the overlap is asked: the clients are never called.
  const soap = createAutotaskSoapGateway({ client: {} as AutotaskSoapClient })
  const rest = createAutotaskRestGateway({ client: {} as AutotaskRestClient })

  it('reports the Eastern clock-change overlap on SOAP, which speaks Eastern wall time', () => {
    expect(soap.scanOverlapSeconds(AUTUMN_CHANGE)).toBeGreaterThan(3600)
    expect(soap.scanOverlapSeconds(new Date('2026-07-15T12:00:00Z'))).toBe(600)
  })

  it('reports ten minutes on REST even when the Eastern clocks change, REST speaking UTC', () => {
    expect(rest.scanOverlapSeconds(AUTUMN_CHANGE)).toBe(600)
  })
})
