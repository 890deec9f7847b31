import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import type { Database } from '../../server/src/db/database'
import errorHandler from '../../server/src/plugins/error-handler'
import { buildTestApp } from '../helpers/build-app'
import { createTestDatabase } from '../helpers/test-database'

let database: Database
let app: FastifyInstance
beforeAll(async () => {
  database = await createTestDatabase()
  app = await buildTestApp({ database })
})
afterAll(async () => {
  await app.close()
  await database.close()
})

describe('GET /health', () => {
  it('answers 200 with the version and which database is in use', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({
      status: 'ok',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      database: { kind: database.kind, reachable: true, serverVersion: expect.any(String) },
    })
  })

  it('runs pg-boss on the same database', async () => {
    const { rows } = await database.pool.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = 'pgboss'")
    expect(rows).toHaveLength(1)
  })
})

describe('the error handler', () => {
  let bare: FastifyInstance
  beforeAll(async () => {
    bare = Fastify({ logger: false })
    await bare.register(errorHandler)
    bare.get('/boom', async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2')
    })
    bare.get('/bad', { schema: { querystring: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } } }, async () => 'ok')
    await bare.ready()
  })
  afterAll(() => bare.close())

  it('hides the details of a 5xx', async () => {
    const response = await bare.inject({ method: 'GET', url: '/boom' })
    expect(response.statusCode).toBe(500)
    expect(response.body).not.toContain('hunter2')
    expect(response.body).not.toContain('10.0.0.5')
    expect(response.json().message).toMatch(/logged/)
  })

  it('says what was wrong with a bad request', async () => {
    const response = await bare.inject({ method: 'GET', url: '/bad?id=x' })
    expect(response.statusCode).toBe(400)
    expect(response.json().message).toContain('id')
  })

  it('answers an unknown route with 404 and the route asked for', async () => {
    const response = await app.inject({ method: 'GET', url: '/nope' })
    expect(response.statusCode).toBe(404)
    expect(response.json().message).toContain('GET /nope')
  })
})
