/**
 * Where a connection's Autotask credentials may be sent. A zone URL is accepted only on Autotask's
 * own hosts over https (webservicesN.autotask.net serves both SOAP and REST, see
 * https://ww1.autotask.net/help/DeveloperHelp/Content/APIs/SOAP/APICalls/GetZoneInfoCall.htm), or
 * under one of `extraPrefixes`: the mounted sandbox's emulator, or a stand-in server a test names
 * explicitly. Anything else would let an admin send the stored secret to a server of their choosing
 * (and read internal services through the credential test's answer).
 */
export type ZoneCheck = { ok: true; zoneUrl: string } | { ok: false; reason: string }

const AUTOTASK_DOMAIN = 'autotask.net'

export const ZONE_REFUSED =
  'Autotask zone addresses are https on autotask.net, such as https://webservices5.autotask.net/ATServicesRest/V1.0/ (REST) or https://webservices5.autotask.net/ATServices/1.6/atws.asmx (SOAP).'

export function checkAutotaskZone(raw: string, extraPrefixes: readonly string[]): ZoneCheck {
  if (!URL.canParse(raw)) return { ok: false, reason: ZONE_REFUSED }
  const url = new URL(raw)
  // Compared in the URL's normalised form: dot segments, case and escapes cannot slip past a prefix.
  const zoneUrl = url.href
  if (url.username || url.password || url.search || url.hash) return { ok: false, reason: ZONE_REFUSED }
  const host = url.hostname.toLowerCase()
  const onAutotask = url.protocol === 'https:' && url.port === '' && (host === AUTOTASK_DOMAIN || host.endsWith(`.${AUTOTASK_DOMAIN}`))
  if (onAutotask) return { ok: true, zoneUrl }
  if (extraPrefixes.some((prefix) => zoneUrl.startsWith(new URL(prefix).href))) return { ok: true, zoneUrl }
  return { ok: false, reason: ZONE_REFUSED }
}
