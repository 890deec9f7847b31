import net from 'node:net'

/**
 * Tests talk only to this machine: any connection to a host that is not loopback fails at once,
 * naming the host, instead of leaving the machine (a production default such as Autotask's global
 * zone lookup must never be reached from a test).
 */
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|\[::1\]|::ffff:127(?:\.\d{1,3}){3})$/i
const originalConnect = net.Socket.prototype.connect

function hostOf(args: unknown[]): string | undefined {
  const [first, second] = args
  if (first && typeof first === 'object') {
    const options = first as { host?: string; path?: string }
    return options.path ? undefined : (options.host ?? 'localhost')
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) return typeof second === 'string' ? second : 'localhost'
  return undefined
}

net.Socket.prototype.connect = function connect(this: net.Socket, ...args: unknown[]) {
  const host = hostOf(args)
  if (host !== undefined && !LOOPBACK.test(host)) {
    throw new Error(`a test tried to connect to ${host}: tests may only reach loopback addresses`)
  }
  return (originalConnect as (...rest: unknown[]) => net.Socket).apply(this, args)
} as typeof net.Socket.prototype.connect
