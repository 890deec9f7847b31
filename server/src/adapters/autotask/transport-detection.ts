import { IntegrationError } from '../../errors/integration-error'
import { createAutotaskSoapClient } from './soap/soap-client'
import type { AutotaskRequestGate } from './core/autotask-request-gate'
import type { AutotaskThresholdInfo } from './core/autotask-entities'
import { createAutotaskRestClient } from './rest/rest-client'

export interface AutotaskCredentials {
  username: string
  secret: string
  integrationCode: string
}

export interface DetectTransportOptions extends AutotaskCredentials {
  /** REST zoneInformation address; Autotask's global one by default. */
  restZoneLookupUrl?: string
  /** SOAP getZoneInfo endpoint; Autotask's global one by default. */
  soapZoneLookupUrl?: string
  timeoutMs?: number
  /** Charges the probes like any other call (they count against the tenant's hour). */
  gate?: AutotaskRequestGate
}

export type TransportDetection =
  | { ok: true; transport: 'rest' | 'soap'; zoneUrl: string; usage: AutotaskThresholdInfo; restError?: IntegrationError }
  | { ok: false; rest: IntegrationError; soap: IntegrationError }

function asIntegrationError(error: unknown): IntegrationError {
  return error instanceof IntegrationError
    ? error
    : new IntegrationError({
        system: 'autotask',
        code: 'unexpected_response',
        retryable: true,
        remoteMessage: error instanceof Error ? error.message : String(error),
      })
}

/** The transport a zone address belongs to: REST zones end in ATServicesRest/…, SOAP ones in atws.asmx. */
export function transportOfZoneUrl(zoneUrl: string): 'rest' | 'soap' | null {
  if (/\/ATServicesRest(\/|$)/i.test(zoneUrl)) return 'rest'
  if (/\.asmx$/i.test(new URL(zoneUrl).pathname)) return 'soap'
  return null
}

/**
 * Which API a tenant answers with these credentials: REST first (zone lookup and the threshold
 * call, the cheapest charged request), then SOAP 1.6, which Autotask may have switched off.
 * The admin console's credential test uses it to fill in a connection's transport and zone.
 */
export async function detectAutotaskTransport(options: DetectTransportOptions): Promise<TransportDetection> {
  const common = {
    username: options.username,
    secret: options.secret,
    integrationCode: options.integrationCode,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.gate ? { gate: options.gate } : {}),
  }
  let restError: IntegrationError
  try {
    const rest = createAutotaskRestClient({ ...common, ...(options.restZoneLookupUrl ? { zoneLookupUrl: options.restZoneLookupUrl } : {}) })
    const usage = await rest.testConnection()
    return { ok: true, transport: 'rest', zoneUrl: rest.zoneUrl ?? '', usage }
  } catch (error) {
    restError = asIntegrationError(error)
  }
  try {
    const soap = createAutotaskSoapClient({ ...common, ...(options.soapZoneLookupUrl ? { zoneLookupUrl: options.soapZoneLookupUrl } : {}) })
    const usage = await soap.testConnection()
    return { ok: true, transport: 'soap', zoneUrl: soap.zoneUrl ?? '', usage, restError }
  } catch (error) {
    return { ok: false, rest: restError, soap: asIntegrationError(error) }
  }
}
