import type { Page } from 'playwright-core'
import { until } from '../../helpers/until'
import { REPO_ROOT } from '../preview-harness'

// Shared by the console walks: sign in as a person does, axe-core's serious and critical WCAG 2
// A/AA violations of the page as it is, and waiting on a condition instead of sleeping.

const AXE = `${REPO_ROOT}node_modules/axe-core/axe.min.js`

type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }

/** Needs a page opened with `bypassCSP: true`: axe is injected as a script tag. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE })
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Violation[] }> } }).axe
    return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })).violations
  })
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`)
}

export async function signIn(page: Page, origin: string, login: { email: string; password: string }): Promise<void> {
  await page.goto(`${origin}/admin/`)
  await page.fill('input[name=email]', login.email)
  await page.fill('input[name=password]', login.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'Home' }).waitFor()
}

/** Kept for the console walks; polls through the suite's one helper (test/helpers/until.ts). */
export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 45_000): Promise<void> {
  await until(check, Boolean, what, timeoutMs, 100)
}
