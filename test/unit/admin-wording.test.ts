import { describeAuditEntry } from '../../server/src/admin/audit-sentences'
import { problemTitle } from '../../server/src/admin/problem-titles'
import { IntegrationError } from '../../server/src/errors/integration-error'
import { describeRemoteFailure } from '../../server/src/errors/reach-failure'

const network = (remoteMessage: string) => new IntegrationError({ system: 'autotask', code: 'network', retryable: true, remoteMessage })

describe('words for admins', () => {
  it('says Autotask could not be reached, naming the host, when its address does not resolve', () => {
    expect(describeRemoteFailure('Autotask', network('ENOTFOUND: getaddrinfo ENOTFOUND webservices99.autotask.net'))).toEqual({
      reached: false,
      message: 'Could not reach Autotask at webservices99.autotask.net: the address does not resolve.',
    })
  })

  it('says the connection was refused or timed out when the network failed that way', () => {
    expect(describeRemoteFailure('Zendesk', new Error('connect ECONNREFUSED 10.0.0.1:443')).message).toBe(
      'Could not reach Zendesk at 10.0.0.1:443: the connection was refused.',
    )
    const timeout = new IntegrationError({ system: 'autotask', code: 'timeout', retryable: true, remoteMessage: 'No answer from Autotask within 20000 ms.' })
    expect(describeRemoteFailure('Autotask', timeout)).toEqual({
      reached: false,
      message: 'Could not reach Autotask: No answer from Autotask within 20000 ms.',
    })
  })

  it('keeps what Autotask said when it answered', () => {
    const refused = new IntegrationError({ system: 'autotask', code: 'rejected', retryable: false, remoteMessage: 'Invalid user name or password.' })
    expect(describeRemoteFailure('Autotask', refused)).toEqual({ reached: true, message: 'Autotask answered: Invalid user name or password.' })
  })

  it('titles a problem in words and keeps the code out of the headline', () => {
    expect(problemTitle('autotask_ticket_missing', 'Autotask ticket T1 was deleted.')).toBe('The Autotask ticket was deleted')
    expect(problemTitle('autotask_something_new', 'Updating the Autotask ticket failed: QueueID is required')).toBe('Updating the Autotask ticket failed')
  })

  it('writes an audit entry as a sentence with each changed setting before and after', () => {
    const entry = describeAuditEntry({
      action: 'mappings_saved',
      adminEmail: 'ana@example.com',
      details: { connectionId: 3, name: 'Main', before: { priority: { urgent: 4 }, queueId: 8 }, settings: { priority: { urgent: 1 }, queueId: 8 } },
    })
    expect(entry).toEqual({
      sentence: 'ana@example.com saved the mappings of Autotask connection “Main”.',
      changes: [{ field: 'priority.urgent', before: '4', after: '1' }],
    })
    expect(describeAuditEntry({ action: 'something_new', adminEmail: null, details: {} }).sentence).toBe('Someone (a removed admin) something new.')
  })
})
