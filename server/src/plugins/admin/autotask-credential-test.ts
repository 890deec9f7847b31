import fp from 'fastify-plugin'
import {
  createAutotaskRestClient,
  createAutotaskRestGateway,
  createAutotaskSoapClient,
  createAutotaskSoapGateway,
  createInMemoryRequestGate,
  detectAutotaskTransport,
  transportOfZoneUrl,
  type AutotaskRequestGate,
} from '../../adapters/autotask'
import type { TicketPicklists } from '@psa-link/shared'
import { checkAutotaskZone, type ZoneCheck } from '../../admin/autotask-zone-policy'
import { createPostgresRequestGate } from '../../db/repositories/autotask-request-budget'
import { IntegrationError } from '../../errors/integration-error'
import { describeRemoteFailure } from '../../errors/reach-failure'

export interface AutotaskCredentials {
  transport: 'soap' | 'rest'
  zoneUrl: string | null
  apiUsername: string
  secret: string
  integrationCode: string
}

/** What the admin chose: a transport, or `auto` (the zone address's kind, else REST first, then SOAP). */
export type AutotaskTransportChoice = AutotaskCredentials['transport'] | 'auto'

/** On success, the transport and zone the credentials work with (what `auto` found), to be saved. */
export type CredentialTestResult =
  | { ok: true; picklists: TicketPicklists; transport: AutotaskCredentials['transport']; zoneUrl: string | null }
  /** `zone_refused`: the zone is not an Autotask address and was never contacted. */
  /** `unreachable`: Autotask was never reached (DNS, refused, timed out); the message says so. */
  | { ok: false; code: 'zone_refused' | 'refused' | 'unreachable'; message: string }

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Signs in to Autotask and loads the ticket picklists; a failure carries Autotask's own message.
     * A zone that is not Autotask's (see checkAutotaskZone) is refused without being contacted.
     */
    testAutotask(
      credentials: Omit<AutotaskCredentials, 'transport'> & { transport: AutotaskTransportChoice },
      connectionId: number | null,
    ): Promise<CredentialTestResult>
    /** Checks a zone URL against Autotask's hosts, the sandbox's emulator and the configured extra prefixes. */
    checkZone(zoneUrl: string): ZoneCheck
  }
}

export interface AutotaskCredentialTestPluginOptions {
  /** Zone URL prefixes accepted besides Autotask's own hosts and the sandbox's emulator (tests only). */
  extraAutotaskZonePrefixes?: readonly string[]
}

/** What a refusal says: the remote's own words when it gave some, else ours. */
function remoteWordsOf(error: unknown): string {
  if (error instanceof IntegrationError) return error.remoteMessage ?? error.message
  return error instanceof Error ? error.message : String(error)
}

/** The console's Autotask credential test, and the zone check it and the connection routes share. */
export default fp<AutotaskCredentialTestPluginOptions>(
  async (app, options) => {
    const pool = app.db.pool
    const autotaskHourlyLimit = app.autotaskHourlyLimit

    function checkZone(zoneUrl: string): ZoneCheck {
      // The emulator is known only once the sandbox is connected, so it is asked each time.
      const sandboxOrigin = app.sandbox?.origin()
      return checkAutotaskZone(zoneUrl, [...(options.extraAutotaskZonePrefixes ?? []), ...(sandboxOrigin ? [`${sandboxOrigin}/sandbox/autotask/`] : [])])
    }

    async function testAutotask(
      choice: Omit<AutotaskCredentials, 'transport'> & { transport: AutotaskTransportChoice },
      connectionId: number | null,
    ): Promise<CredentialTestResult> {
      let { transport, zoneUrl } = choice
      if (zoneUrl) {
        const zone = checkZone(zoneUrl)
        if (!zone.ok) return { ok: false, code: 'zone_refused', message: zone.reason }
        // The address as checked (normalised) is the one used and saved: no other URL parser gets a say.
        zoneUrl = zone.zoneUrl
      }
      // A saved connection's test is charged to its shared budget; a new one has no budget row yet.
      const gate =
        connectionId === null
          ? createInMemoryRequestGate({ hourlyLimit: 100 })
          : createPostgresRequestGate(pool, { connectionId, hourlyLimit: autotaskHourlyLimit })
      if (transport === 'auto') {
        const found = await chooseTransport({ ...choice, zoneUrl }, gate)
        if (!found.ok) return { ok: false, code: 'refused', message: found.message }
        ;({ transport, zoneUrl } = found)
        // Without a zone, Autotask's own lookup named it; checked all the same before it is saved.
        const zone = zoneUrl ? checkZone(zoneUrl) : null
        if (zone && !zone.ok) return { ok: false, code: 'zone_refused', message: zone.reason }
      }
      const clientOptions = {
        username: choice.apiUsername,
        secret: choice.secret,
        integrationCode: choice.integrationCode,
        ...(zoneUrl ? { zoneUrl } : {}),
        timeoutMs: 20_000,
        gate,
      }
      try {
        if (transport === 'rest') {
          // Loading the picklists signs in: a refusal carries Autotask's own message.
          return {
            ok: true,
            picklists: await createAutotaskRestGateway({ client: createAutotaskRestClient(clientOptions) }).getPicklists(),
            transport,
            zoneUrl,
          }
        }
        const client = createAutotaskSoapClient(clientOptions)
        await client.testConnection()
        return { ok: true, picklists: await createAutotaskSoapGateway({ client }).getPicklists(), transport, zoneUrl }
      } catch (error) {
        const failure = describeRemoteFailure('Autotask', error)
        return failure.reached ? { ok: false, code: 'refused', message: remoteWordsOf(error) } : { ok: false, code: 'unreachable', message: failure.message }
      }
    }

    /** `auto`: the kind of zone address given, else whichever API answers (REST first; SOAP 1.6 may be switched off). */
    async function chooseTransport(
      choice: Omit<AutotaskCredentials, 'transport'>,
      gate: AutotaskRequestGate,
    ): Promise<{ ok: true; transport: AutotaskCredentials['transport']; zoneUrl: string | null } | { ok: false; message: string }> {
      if (choice.zoneUrl) {
        const transport = transportOfZoneUrl(choice.zoneUrl)
        return transport
          ? { ok: true, transport, zoneUrl: choice.zoneUrl }
          : {
              ok: false,
              message: 'the zone URL is neither a REST address (…/ATServicesRest/V1.0/) nor a SOAP one (…/atws.asmx); choose the transport or correct the URL.',
            }
      }
      const detected = await detectAutotaskTransport({
        username: choice.apiUsername,
        secret: choice.secret,
        integrationCode: choice.integrationCode,
        timeoutMs: 20_000,
        gate,
      })
      if (detected.ok) return { ok: true, transport: detected.transport, zoneUrl: detected.zoneUrl || null }
      return { ok: false, message: `REST: ${remoteWordsOf(detected.rest)} · SOAP: ${remoteWordsOf(detected.soap)}` }
    }

    app.decorate('checkZone', checkZone)
    app.decorate('testAutotask', testAutotask)
  },
  { name: 'autotask-credential-test', dependencies: ['database', 'autotask-budget'] },
)
