import { ClientCredentialsBody, NewClusterFieldBody, NewConnectionBody, RouteParams, labelInSentence } from '@psa-link/shared/admin-api'
import type { FastifySchema } from 'fastify'
import { adminSchemaValidator } from '../../../server/src/routes/admin/admin-schema-validator'
import type { AdminError } from '../../../server/src/admin/admin-error'

// The admin API's schemas name a bad field by its label inside a sentence, as people read it.
function fieldErrorsFor(schema: unknown, body: unknown): Record<string, string> {
  const validate = adminSchemaValidator({ schema: schema as FastifySchema, method: 'POST', url: '/', httpPart: 'body' })
  const result = validate(body) as { error?: AdminError }
  return result.error?.fieldErrors ?? {}
}

const connection = { name: 'Main', apiUsername: 'api@example.com', secret: 's', integrationCode: 'ABCDEFGHIJ' }

describe('admin form messages', () => {
  it('keeps an acronym as written when a required field named with it is empty', () => {
    expect(fieldErrorsFor(NewConnectionBody, { ...connection, apiUsername: '' })).toEqual({ apiUsername: 'Enter API user.' })
  })

  it('keeps an acronym as written when a required field named with it is missing', () => {
    const { apiUsername: _left, ...withoutUser } = connection
    expect(fieldErrorsFor(NewConnectionBody, withoutUser)).toEqual({ apiUsername: 'Enter API user.' })
  })

  it('lowercases only the first plain word of a label', () => {
    expect(fieldErrorsFor(NewClusterFieldBody, { title: ' ' })).toEqual({ title: 'Enter field title.' })
    expect(fieldErrorsFor(ClientCredentialsBody, {})).toMatchObject({ clientId: 'Enter the OAuth client identifier.' })
    expect(fieldErrorsFor(RouteParams, {})).toEqual({ clusterId: 'Enter the Cluster ID.' })
  })

  it('reads every kind of label as a person would', () => {
    expect(labelInSentence('Start date')).toBe('start date')
    expect(labelInSentence('The Cluster ID')).toBe('the Cluster ID')
    expect(labelInSentence('Zone URL')).toBe('zone URL')
    expect(labelInSentence('SMTP host')).toBe('SMTP host')
    expect(labelInSentence('ID')).toBe('ID')
    expect(labelInSentence('Zendesk ticket id')).toBe('Zendesk ticket id')
    expect(labelInSentence('Autotask ticket number')).toBe('Autotask ticket number')
    expect(labelInSentence('Your Zendesk address')).toBe('your Zendesk address')
  })
})
