import {
  Connection,
  ConnectionBody,
  ConnectionList,
  ConnectionSettingsBody,
  ConnectionTest,
  IdParams,
  NewConnectionBody,
  PausedReply,
  Removed,
  ZONE_EXAMPLES,
} from '@psa-link/shared/admin-api'
import Value from 'typebox/value'
import { ConnectionSettings, DEFAULT_PRIORITY_LABELS, DEFAULT_STATUS_LABELS, resolveMappings, type TicketPicklists } from '@psa-link/shared'
import { AdminError, invalidInput, notFound } from '../../admin/admin-error'
import { canSeeConnection, requireAccountAdmin, type AdminPrincipal } from '../../admin/admin-principal'
import { fieldProblems } from '../../admin/field-problems'
import type { AutotaskConnection } from '../../db/repositories/tenants-repository'
import type { AutotaskCredentials, AutotaskTransportChoice } from '../../plugins/admin/autotask-credential-test'
import { transportOfZoneUrl } from '../../adapters/autotask'
import { accountAdminOnly } from './account-admin-only'
import { adminOf } from './admin-auth'
import type { AdminRoutesPlugin } from './admin-type-provider'

function view(connection: AutotaskConnection, withPicklists: boolean) {
  return {
    id: connection.id,
    name: connection.name,
    transport: connection.transport,
    zoneUrl: connection.zoneUrl,
    apiUsername: connection.apiUsername,
    status: connection.status,
    statusMessage: connection.statusMessage,
    paused: connection.paused,
    settings: connection.settings,
    picklistsLoadedAt: connection.picklistsLoadedAt,
    // The labels unset mappings fall back to, so the editor can say what each default is here.
    ...(withPicklists ? { picklists: connection.picklists, mappingDefaults: { priority: DEFAULT_PRIORITY_LABELS, status: DEFAULT_STATUS_LABELS } } : {}),
  }
}

/**
 * The credentials of a connection form, which its schema has checked field by field; secrets may be
 * left empty when editing (the saved ones stay).
 */
function readCredentials(body: ConnectionBody, existing: AutotaskConnection | null) {
  const name = body.name.trim()
  // A new connection finds its transport unless told; an edit keeps the one it has.
  const transport = body.transport || (existing?.transport ?? 'auto')
  const zoneUrl = body.zoneUrl?.trim() ?? ''
  const form = fieldProblems()
  if (transport === 'auto' && zoneUrl && !transportOfZoneUrl(zoneUrl)) form.add('zoneUrl', `Detect needs a REST or SOAP zone address. ${ZONE_EXAMPLES}`)
  form.throwIfAny()
  const apiUsername = body.apiUsername.trim()
  const secret = body.secret || undefined
  const integrationCode = body.integrationCode?.trim() || undefined
  const credentials: Omit<AutotaskCredentials, 'transport'> & { transport: AutotaskTransportChoice } = {
    transport: transport as AutotaskTransportChoice,
    zoneUrl: zoneUrl || null,
    apiUsername,
    secret: secret ?? existing!.secret,
    integrationCode: integrationCode ?? existing!.integrationCode,
  }
  return { name, credentials, secretGiven: secret !== undefined, codeGiven: integrationCode !== undefined }
}

function credentialsRejected(message: string): AdminError {
  return new AdminError(422, 'credentials_rejected', `Autotask refused these credentials: ${message}`, { credentials: `Autotask answered: ${message}` })
}

/** A failed test as the route answers it: a zone that is not Autotask's is the zone field's problem. */
function testFailure(test: { code: 'zone_refused' | 'refused' | 'unreachable'; message: string }): AdminError {
  if (test.code === 'unreachable') return new AdminError(502, 'autotask_unreachable', test.message, { credentials: test.message })
  return test.code === 'zone_refused' ? invalidInput({ zoneUrl: test.message }) : credentialsRejected(test.message)
}

const sameZone = (a: string | null, b: string | null): boolean => {
  const normal = (zone: string | null) => (zone && URL.canParse(zone) ? new URL(zone).href : zone)
  return normal(a) === normal(b)
}

/**
 * Autotask connections: add and edit behind a credential test (Autotask's own message on failure),
 * mappings checked against the live picklists before they are saved, pause, resume, remove.
 */
const connectionRoutes: AdminRoutesPlugin = async (fastify) => {
  const { tenants } = fastify

  async function connectionOf(admin: AdminPrincipal, id: number): Promise<AutotaskConnection> {
    const connection = canSeeConnection(admin, id) ? (await tenants.listConnections(admin.accountId)).find((candidate) => candidate.id === id) : undefined
    if (!connection) throw notFound('That Autotask connection')
    return connection
  }

  const record = (admin: AdminPrincipal, action: string, details: Record<string, unknown>) =>
    fastify.audit.record({ accountId: admin.accountId, adminUserId: admin.userId, action, details })

  /** Every failed credential test is audited: who tried which user at which zone, and why it failed (never the secret). */
  const recordFailedTest = (
    admin: AdminPrincipal,
    connectionId: number | null,
    credentials: { zoneUrl: string | null; apiUsername: string },
    test: { code: string; message: string },
  ) =>
    record(admin, test.code === 'zone_refused' ? 'connection_zone_refused' : 'connection_test_failed', {
      ...(connectionId === null ? {} : { connectionId }),
      zoneUrl: credentials.zoneUrl,
      apiUsername: credentials.apiUsername,
      ...(test.code === 'zone_refused' ? {} : { message: test.message }),
    })

  fastify.get('/api/connections', { schema: { response: { 200: ConnectionList } } }, async (request) => {
    const admin = adminOf(request)
    const connections = (await tenants.listConnections(admin.accountId)).filter((connection) => canSeeConnection(admin, connection.id))
    return { connections: connections.map((connection) => view(connection, false)) }
  })

  fastify.get('/api/connections/:id', { schema: { params: IdParams, response: { 200: Connection } } }, async (request) => {
    const admin = adminOf(request)
    return view(await connectionOf(admin, request.params.id), true)
  })

  fastify.post(
    '/api/connections',
    { preValidation: accountAdminOnly, schema: { body: NewConnectionBody, response: { 201: Connection } } },
    async (request, reply) => {
      const admin = adminOf(request)
      requireAccountAdmin(admin)
      const { name, credentials } = readCredentials(request.body, null)
      if (await fastify.connections.nameTaken(admin.accountId, name, null)) throw invalidInput({ name: 'Another connection of this account has this name.' })
      const test = await fastify.testAutotask(credentials, null)
      if (!test.ok) {
        await recordFailedTest(admin, null, credentials, test)
        throw testFailure(test)
      }
      const id = await tenants.createConnection({
        zendeskAccountId: admin.accountId,
        name,
        transport: test.transport,
        ...(test.zoneUrl ? { zoneUrl: test.zoneUrl } : {}),
        apiUsername: credentials.apiUsername,
        secret: credentials.secret,
        integrationCode: credentials.integrationCode,
      })
      await tenants.savePicklists(id, test.picklists)
      await tenants.setConnectionStatus(id, 'ready', null)
      await record(admin, 'connection_added', { connectionId: id, name, apiUsername: credentials.apiUsername, zoneUrl: test.zoneUrl })
      const created = await connectionOf(admin, id)
      return reply.status(201).send(view(created, true))
    },
  )

  fastify.put('/api/connections/:id', { schema: { params: IdParams, body: ConnectionBody, response: { 200: Connection } } }, async (request) => {
    const admin = adminOf(request)
    const existing = await connectionOf(admin, request.params.id)
    const { name, credentials, secretGiven, codeGiven } = readCredentials(request.body, existing)
    if (await fastify.connections.nameTaken(admin.accountId, name, existing.id))
      throw invalidInput({ name: 'Another connection of this account has this name.' })
    // The stored secret goes only where it went before: a new zone or API user needs it typed again,
    // or an admin could point the saved credentials at a server of their own.
    const zoneChanged = !sameZone(credentials.zoneUrl, existing.zoneUrl)
    const userChanged = credentials.apiUsername.toLowerCase() !== existing.apiUsername.toLowerCase()
    if ((zoneChanged || userChanged) && !(secretGiven && codeGiven)) {
      const why = zoneChanged ? 'the zone URL changed' : 'the API user changed'
      throw invalidInput({
        ...(secretGiven ? {} : { secret: `Enter the secret again: ${why}.` }),
        ...(codeGiven ? {} : { integrationCode: `Enter the integration code again: ${why}.` }),
      })
    }
    const test = await fastify.testAutotask(credentials, existing.id)
    if (!test.ok) {
      await recordFailedTest(admin, existing.id, credentials, test)
      throw testFailure(test)
    }
    await fastify.connections.update(existing.id, {
      name,
      transport: test.transport,
      zoneUrl: test.zoneUrl,
      apiUsername: credentials.apiUsername,
      ...(secretGiven ? { secret: credentials.secret } : {}),
      ...(codeGiven ? { integrationCode: credentials.integrationCode } : {}),
    })
    await tenants.savePicklists(existing.id, test.picklists)
    await tenants.setConnectionStatus(existing.id, 'ready', null)
    await record(admin, 'connection_edited', { connectionId: existing.id, name, credentialsChanged: secretGiven || codeGiven || userChanged })
    if (!sameZone(test.zoneUrl, existing.zoneUrl))
      await record(admin, 'connection_zone_changed', { connectionId: existing.id, from: existing.zoneUrl, to: test.zoneUrl })
    return view(await connectionOf(admin, request.params.id), true)
  })

  fastify.post('/api/connections/:id/test', { schema: { params: IdParams, response: { 200: ConnectionTest } } }, async (request) => {
    const admin = adminOf(request)
    const connection = await connectionOf(admin, request.params.id)
    const test = await fastify.testAutotask(connection, connection.id)
    if (test.ok) {
      await tenants.savePicklists(connection.id, test.picklists)
      await tenants.setConnectionStatus(connection.id, 'ready', null)
    } else {
      await tenants.setConnectionStatus(connection.id, 'failing', test.message)
      await recordFailedTest(admin, connection.id, connection, test)
    }
    await record(admin, 'connection_tested', { connectionId: connection.id, ok: test.ok })
    if (!test.ok && test.code === 'zone_refused')
      return { ok: false, message: `The saved zone URL is not an Autotask address, so nothing was sent; edit the connection. ${test.message}` }
    return test.ok
      ? { ok: true, message: 'Autotask accepted the credentials; picklists reloaded.' }
      : { ok: false, message: test.code === 'unreachable' ? test.message : `Autotask answered: ${test.message}` }
  })

  fastify.put(
    '/api/connections/:id/settings',
    { schema: { params: IdParams, body: ConnectionSettingsBody, response: { 200: Connection } } },
    async (request) => {
      const admin = adminOf(request)
      const connection = await connectionOf(admin, request.params.id)
      const settings = request.body.settings
      if (!Value.Check(ConnectionSettings, settings)) {
        const fieldErrors: Record<string, string> = {}
        for (const error of Value.Errors(ConnectionSettings, settings)) {
          const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'settings'
          fieldErrors[path] ??= path.startsWith('dueHours') ? 'Enter hours greater than 0 and at most 8760.' : `Not a valid value: ${error.message}.`
        }
        throw invalidInput(fieldErrors, 'Some mappings are not valid; nothing was saved.')
      }
      let picklists: TicketPicklists | null = connection.picklists
      if (!picklists) {
        const test = await fastify.testAutotask(connection, connection.id)
        if (!test.ok) {
          await recordFailedTest(admin, connection.id, connection, test)
          throw testFailure(test)
        }
        picklists = test.picklists
        await tenants.savePicklists(connection.id, picklists)
      }
      const resolved = resolveMappings(settings, picklists)
      if (!resolved.ok) {
        throw invalidInput(
          Object.fromEntries(resolved.problems.map((problem) => [problem.setting, problem.message])),
          'Some mappings do not match this Autotask database; nothing was saved.',
        )
      }
      await tenants.saveConnectionSettings(connection.id, settings)
      await record(admin, 'mappings_saved', { connectionId: connection.id, name: connection.name, before: connection.settings, settings })
      return view(await connectionOf(admin, request.params.id), true)
    },
  )

  for (const [path, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    fastify.post(`/api/connections/:id/${path}`, { schema: { params: IdParams, response: { 200: PausedReply } } }, async (request) => {
      const admin = adminOf(request)
      const connection = await connectionOf(admin, request.params.id)
      await tenants.setConnectionPaused(connection.id, paused)
      await record(admin, paused ? 'connection_paused' : 'connection_resumed', { connectionId: connection.id })
      // Resumed: what accumulated on the dirty list is picked up by a cycle now, not in five minutes.
      if (!paused) await fastify.cycleScheduler.requestNow()
      return { paused }
    })
  }

  fastify.delete('/api/connections/:id', { preValidation: accountAdminOnly, schema: { params: IdParams, response: { 200: Removed } } }, async (request) => {
    const admin = adminOf(request)
    requireAccountAdmin(admin)
    const connection = await connectionOf(admin, request.params.id)
    await fastify.connections.remove(connection.id)
    await record(admin, 'connection_removed', { connectionId: connection.id, name: connection.name })
    return { removed: true }
  })
}

export default connectionRoutes
