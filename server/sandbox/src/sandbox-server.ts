import closeWithGrace from 'close-with-grace'
import Fastify from 'fastify'
import autotaskSandbox, { createAutotaskEmulator } from './autotask'
import zendeskSandbox, { createZendeskEmulator } from './zendesk'

/**
 * `npm run sandbox`: the Zendesk and Autotask emulators alone, in their own process, so tests can
 * kill the backend while the "remote" systems stay up. Environment: HOST (127.0.0.1), PORT (3100),
 * ZENDESK_EXPORT_LAG_SECONDS (Zendesk's 60 by default). Everything else is set over /_control.
 */
const host = process.env.HOST ?? '127.0.0.1'
const port = Number(process.env.PORT ?? 3100)
const exportLag = process.env.ZENDESK_EXPORT_LAG_SECONDS
const zendesk = createZendeskEmulator(exportLag === undefined ? {} : { exportLagSeconds: Number(exportLag) })
const autotask = createAutotaskEmulator()

const server = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'warn' } })
await server.register(zendeskSandbox, { prefix: '/sandbox/zendesk', emulator: zendesk })
await server.register(autotaskSandbox, { prefix: '/sandbox/autotask', emulator: autotask })
closeWithGrace({ delay: 5000 }, async () => server.close())
await server.listen({ host, port })
const address = server.server.address()
const origin = `http://${host}:${typeof address === 'object' && address ? address.port : port}`
console.log(`sandbox listening at ${origin}`)
console.log(`  Zendesk emulator: ${origin}/sandbox/zendesk (subdomain demo; Bearer sandbox-oauth-token)`)
console.log(`  Autotask emulator: ${origin}/sandbox/autotask/ATServices/1.6/atws.asmx (api@demo.test / sandbox-secret / SANDBOX0INTEGRATION0CODE0001)`)
