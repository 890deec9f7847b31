import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { FastifyPluginAsync } from 'fastify'
import type { AutotaskEmulator } from './autotask-emulator'
import type { EmulatedDatabase } from './emulated-database'
import { zoneOfPath } from './emulated-zones'
import type { EmulatedRecord } from './record-query'
import { escapeHtml, sendHtmlPage } from '../html-page'

/**
 * The page PSA Link's "Open in Autotask" link reaches in the sandbox (Autotask's path
 * `/Mvc/ServiceDesk/TicketDetail.mvc?ticketId=N`, beside the emulated API as the zone's web URL).
 * A development aid, not an imitation of Autotask's UI: it shows the ticket and its notes (who
 * wrote each, when) and lets a person add a note AS A TECHNICIAN, the way one types a note in
 * Autotask, so PSA Link mirrors it to Zendesk. Plain server-rendered HTML, no script.
 */
export interface TicketPageOptions {
  emulator: AutotaskEmulator
}

export const TICKET_PAGE_PATH = '/Mvc/ServiceDesk/TicketDetail.mvc'
const NOTES_PATH = `${TICKET_PAGE_PATH}/notes`
const MAX_TITLE = 250
const MAX_DESCRIPTION = 32_000

function parseId(value: unknown): number | null {
  const id = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN
  return Number.isSafeInteger(id) && id > 0 ? id : null
}

function when(value: unknown): string {
  return value instanceof Date ? `${value.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '–'
}

function timeOf(value: unknown): number {
  return value instanceof Date ? value.getTime() : 0
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value)
}

function label(database: EmulatedDatabase, entity: 'Ticket' | 'TicketNote', field: string, value: unknown): string {
  if (value === null || value === undefined) return '–'
  return database.picklistValues(entity, field).find((entry) => entry.value === value)?.label ?? text(value)
}

function resourceName(database: EmulatedDatabase, id: unknown): string {
  const resource = typeof id === 'number' ? database.records.Resource.get(id) : undefined
  if (!resource) return id === null || id === undefined ? 'unknown' : `Resource ${text(id)}`
  const name = `${text(resource.fields.FirstName)} ${text(resource.fields.LastName)}`.trim() || text(resource.fields.UserName)
  return resource.id === database.apiResourceId ? `${name} (API user)` : name
}

/** The technicians one can write as: active resources other than the API user. */
function technicians(database: EmulatedDatabase): EmulatedRecord[] {
  return [...database.records.Resource.values()].filter((resource) => resource.fields.Active === true && resource.id !== database.apiResourceId)
}

const STYLE = `
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2d3d; background: #f4f6f8; }
  header.bar { background: #173a5e; color: #fff; padding: 10px 20px; display: flex; gap: 16px; align-items: baseline; }
  header.bar strong { font-size: 16px; }
  header.bar span { color: #d5e2ee; }
  main { max-width: 900px; margin: 20px auto; padding: 0 20px; }
  h1 { font-size: 20px; margin: 0 0 12px; }
  dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; background: #fff; border: 1px solid #d3dae1; border-radius: 6px; padding: 12px 16px; margin: 0 0 20px; }
  dl.facts dt { font-weight: 600; color: #3d4f61; }
  dl.facts dd { margin: 0; }
  h2 { font-size: 16px; margin: 24px 0 8px; }
  ol.notes { list-style: none; padding: 0; margin: 0; }
  ol.notes li { background: #fff; border: 1px solid #d3dae1; border-radius: 6px; padding: 10px 14px; margin-bottom: 10px; }
  .meta { color: #4d5f70; font-size: 12px; margin-bottom: 4px; }
  .note-title { font-weight: 600; }
  .description { white-space: pre-wrap; overflow-wrap: anywhere; }
  form { background: #fff; border: 1px solid #d3dae1; border-radius: 6px; padding: 14px 16px; }
  form label { display: block; font-weight: 600; margin: 10px 0 4px; }
  form input, form select, form textarea { width: 100%; padding: 7px 9px; border: 1px solid #8a99a8; border-radius: 4px; font: inherit; background: #fff; color: inherit; }
  form button { margin-top: 12px; background: #1f5f99; color: #fff; border: 0; border-radius: 4px; padding: 8px 16px; font: inherit; font-weight: 600; cursor: pointer; }
  button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid #4a90d9; outline-offset: 2px; }
  p.aside { color: #4d5f70; font-size: 13px; }
`

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" /><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<header class="bar"><strong>Autotask emulator</strong><span>PSA Link sandbox · a development aid, not Autotask’s own screens</span></header>
<main>
${body}
</main>
</body>
</html>`
}

function ticketPage(database: EmulatedDatabase, ticket: EmulatedRecord, formToken: string, notesAction: string): string {
  const fields = ticket.fields
  const account = typeof fields.AccountID === 'number' ? database.records.Account.get(fields.AccountID) : undefined
  const notes = [...database.records.TicketNote.values()]
    .filter((note) => note.fields.TicketID === ticket.id)
    .sort((a, b) => timeOf(b.fields.CreateDateTime) - timeOf(a.fields.CreateDateTime) || b.id - a.id)
  const noteItems = notes
    .map(
      (note) => `<li id="note-${note.id}">
  <div class="meta">${escapeHtml(resourceName(database, note.fields.CreatorResourceID))} · <time datetime="${escapeHtml(note.fields.CreateDateTime instanceof Date ? note.fields.CreateDateTime.toISOString() : '')}">${escapeHtml(when(note.fields.CreateDateTime))}</time> · ${escapeHtml(label(database, 'TicketNote', 'NoteType', note.fields.NoteType))} · ${escapeHtml(label(database, 'TicketNote', 'Publish', note.fields.Publish))}</div>
  ${text(note.fields.Title) ? `<div class="note-title">${escapeHtml(text(note.fields.Title))}</div>` : ''}
  <div class="description">${escapeHtml(text(note.fields.Description))}</div>
</li>`,
    )
    .join('\n')
  const options = technicians(database)
    .map((resource) => `<option value="${resource.id}">${escapeHtml(resourceName(database, resource.id))}</option>`)
    .join('')
  const publishOptions = database
    .picklistValues('TicketNote', 'Publish')
    .filter((entry) => entry.isActive)
    .map((entry) => `<option value="${entry.value}"${entry.isDefault ? ' selected' : ''}>${escapeHtml(entry.label)}</option>`)
    .join('')
  const number = text(fields.TicketNumber)
  return page(
    `${number} ${text(fields.Title)} – Autotask emulator`,
    `<h1 id="ticket-title">${escapeHtml(number)} · ${escapeHtml(text(fields.Title))}</h1>
<dl class="facts">
  <dt>Ticket number</dt><dd id="ticket-number">${escapeHtml(number)}</dd>
  <dt>Status</dt><dd id="ticket-status">${escapeHtml(label(database, 'Ticket', 'Status', fields.Status))}</dd>
  <dt>Priority</dt><dd>${escapeHtml(label(database, 'Ticket', 'Priority', fields.Priority))}</dd>
  <dt>Account</dt><dd id="ticket-account">${escapeHtml(account ? text(account.fields.AccountName) : text(fields.AccountID))}</dd>
  <dt>Queue</dt><dd>${escapeHtml(label(database, 'Ticket', 'QueueID', fields.QueueID))}</dd>
  <dt>Created</dt><dd>${escapeHtml(when(fields.CreateDate))} by ${escapeHtml(resourceName(database, fields.CreatorResourceID))}</dd>
  <dt>Last activity</dt><dd>${escapeHtml(when(fields.LastActivityDate))}</dd>
</dl>
<h2>Description</h2>
<div class="description">${escapeHtml(text(fields.Description))}</div>
<h2>Notes (${notes.length})</h2>
${notes.length > 0 ? `<ol class="notes" aria-label="Notes">${noteItems}</ol>` : '<p>No notes yet.</p>'}
<h2>Add a technician’s note</h2>
<form method="post" action="${escapeHtml(notesAction)}" aria-label="Add a technician’s note">
  <input type="hidden" name="ticketId" value="${ticket.id}" />
  <input type="hidden" name="token" value="${escapeHtml(formToken)}" />
  <label for="note-resource">Technician</label>
  <select id="note-resource" name="resourceId">${options}</select>
  <label for="note-title">Title</label>
  <input id="note-title" name="title" maxlength="${MAX_TITLE}" />
  <label for="note-description">Note</label>
  <textarea id="note-description" name="description" rows="5" required maxlength="${MAX_DESCRIPTION}"></textarea>
  <label for="note-publish">Visible to</label>
  <select id="note-publish" name="publish">${publishOptions}</select>
  <button type="submit">Add note</button>
</form>
<p class="aside">The note is written by the technician (its creator is their resource, not PSA Link’s API user), as if typed in Autotask. PSA Link reads it on its next cycle, or at once with <em>Sync now</em> in the Zendesk sidebar.</p>`,
  )
}

function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`)
}

/** A token held by this page's forms: a POST without it (another site's form) is refused. */
function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

const ticketPagePlugin: FastifyPluginAsync<TicketPageOptions> = async (fastify, { emulator }) => {
  const formToken = randomBytes(24).toString('base64url')
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })

  /** The zone's databases (the path names the zone), and the first that has the ticket. */
  function findTicket(path: string, ticketId: number): { database: EmulatedDatabase; ticket: EmulatedRecord } | null {
    const zone = zoneOfPath(path)
    for (const database of emulator.databases) {
      if (emulator.zoneOf(database) !== zone) continue
      const ticket = database.records.Ticket.get(ticketId)
      if (ticket) return { database, ticket }
    }
    return null
  }

  fastify.get(TICKET_PAGE_PATH, async (request, reply) => {
    const ticketId = parseId((request.query as Record<string, unknown>).ticketId)
    if (ticketId === null) return sendHtmlPage(reply, 400, messagePage('Which ticket?', `Open ${TICKET_PAGE_PATH}?ticketId=<Autotask ticket id>.`))
    const found = findTicket(request.url, ticketId)
    if (!found) return sendHtmlPage(reply, 404, messagePage('Ticket not found', `No Autotask ticket has the id ${ticketId} in this zone.`))
    const notesAction = request.url.split('?')[0]!.replace(/\/TicketDetail\.mvc$/i, '/TicketDetail.mvc/notes')
    return sendHtmlPage(reply, 200, ticketPage(found.database, found.ticket, formToken, notesAction))
  })

  fastify.post(NOTES_PATH, async (request, reply) => {
    const form = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>
    const origin = request.headers.origin
    if (!sameToken(form.token, formToken) || (origin !== undefined && origin !== `${request.protocol}://${request.host}`)) {
      return sendHtmlPage(reply, 403, messagePage('Refused', 'Notes are added from the ticket page itself (the form token did not match).'))
    }
    const ticketId = parseId(form.ticketId)
    const found = ticketId === null ? null : findTicket(request.url, ticketId)
    if (ticketId === null || !found) return sendHtmlPage(reply, 404, messagePage('Ticket not found', 'The note’s ticket does not exist in this zone.'))
    const resourceId = parseId(form.resourceId)
    const technician = technicians(found.database).find((resource) => resource.id === resourceId)
    const description = typeof form.description === 'string' ? form.description.trim() : ''
    const title = typeof form.title === 'string' ? form.title.trim().slice(0, MAX_TITLE) : ''
    const publish = parseId(form.publish)
    const publishValues = found.database
      .picklistValues('TicketNote', 'Publish')
      .filter((entry) => entry.isActive)
      .map((entry) => entry.value)
    if (!technician || description === '' || description.length > MAX_DESCRIPTION || (publish !== null && !publishValues.includes(publish))) {
      return sendHtmlPage(reply, 400, messagePage('Not added', 'A technician, a note of 1 to 32,000 characters and a known visibility are required.'))
    }
    const note = emulator.addTechnicianNote(
      ticketId,
      { title, description, resourceId: technician.id, ...(publish !== null ? { publish } : {}) },
      found.database.key,
    )
    const pagePath = request.url.split('?')[0]!.replace(/\/notes$/i, '')
    return reply.redirect(`${pagePath}?ticketId=${ticketId}#note-${note.id}`, 303)
  })
}

export default ticketPagePlugin
