import type { FastifyInstance } from 'fastify'

/** Links to tickets in the account's Zendesk (the sandbox account: its agent preview). */
export async function zendeskTicketUrl(fastify: FastifyInstance, accountId: number): Promise<(id: number) => string> {
  const account = await fastify.tenants.getAccount(accountId)
  const sandboxOrigin = fastify.sandbox?.origin()
  if (account && sandboxOrigin && account.baseUrl === `${sandboxOrigin}/sandbox/zendesk`) return (id) => `${sandboxOrigin}/sandbox/agent?ticket=${id}`
  return (id) => `${account?.baseUrl ?? ''}/agent/tickets/${id}`
}
