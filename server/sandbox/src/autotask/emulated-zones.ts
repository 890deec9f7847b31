/**
 * Autotask's zones, emulated on one host: the home zone is the emulator's own prefix, zone `N`
 * lives under `<prefix>/zones/N/` with the same SOAP and REST paths. A tenant lives in one zone;
 * Autotask moves tenants between zones (Australia 6 -> 29 in March 2026), and the zone it left
 * then refuses the user while the zone lookups point at the new one.
 */

const zoneSegment = /\/zones\/([^/]+)(?=\/)/i

/** The zone a request path reached ('' for the home zone). */
export function zoneOfPath(path: string): string {
  return zoneSegment.exec(path)?.[1] ?? ''
}

/** `url` (an endpoint in some zone) as the same endpoint in `zone`. */
export function urlInZone(url: string, zone: string): string {
  const parsed = new URL(url)
  const home = parsed.pathname.replace(zoneSegment, '')
  const at = home.search(/\/atservices(rest)?\//i)
  parsed.pathname = zone === '' || at < 0 ? home : `${home.slice(0, at)}/zones/${encodeURIComponent(zone)}${home.slice(at)}`
  return parsed.toString()
}
