/**
 * Text the action does not control: Space build and run logs (a pull-request preview runs untrusted code), the Hub's
 * error messages and anything else it answers. Such text reaches the runner only through here:
 * - printed inside `::stop-commands::<fresh token>` … `::<token>::`, as GitHub recommends, so a line such as
 *   `::save-state name=teardown::…` or `::set-output …` in it is shown, never run;
 * - with every secret the step knows replaced by `***` first, so it cannot reappear in a form the runner's
 *   exact-match masking misses (the summary HTML-escapes text; see report.ts).
 */
import { randomUUID } from 'node:crypto'

/** Workflow command syntax, current (`::name::`) and legacy (`##[name]`). */
const COMMAND = /::|##\[/
const REDACTED = '***'

const secrets = new Set<string>()

/**
 * Remembers a secret for `redact`, and returns every form of it that must be masked: the value, and its HTML- and
 * JSON-escaped forms when they differ (text that was escaped before anyone could mask it).
 */
export function rememberSecret(value: string): string[] {
  if (!value) return []
  secrets.add(value)
  const forms = new Set([value, escapeOnly(value), JSON.stringify(value).slice(1, -1)])
  return [...forms]
}

/** The text with every remembered secret replaced by `***`, longest first (one secret may contain another). */
export function redact(text: string): string {
  let result = text
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    result = result.split(secret).join(REDACTED)
  }
  return result
}

/** A block of untrusted text, redacted and wrapped so the runner runs no command in it. */
export function untrustedBlock(text: string, token: string = randomUUID()): string {
  return `::stop-commands::${token}\n${redact(text)}\n::${token}::`
}

/**
 * A log line that may carry untrusted text (a URL or a name the Hub sent): as it is when it holds no command
 * syntax, else wrapped like a block.
 */
export function untrustedLine(text: string): string {
  const clean = redact(text)
  return COMMAND.test(clean) ? untrustedBlock(clean) : clean
}

/** HTML with `& < > " '` escaped; secrets are redacted first, so no escaped form of one is ever written. */
export function htmlEscape(text: string): string {
  return escapeOnly(redact(text))
}

function escapeOnly(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}
