/**
 * Text the action does not control (Space logs: code the Space author wrote) reaches the log only through here. The
 * runner obeys `::command::` lines anywhere in a step's output, so the lines are printed between
 * `::stop-commands::<token>` and `::<token>::`, with a token nobody can guess: inside, nothing is a command.
 */
import { randomBytes } from 'node:crypto'

export function printUntrusted(
  lines: readonly string[],
  write: (line: string) => void,
  token: string = randomBytes(16).toString('hex')
): void {
  if (!lines.length) return
  write(`::stop-commands::${token}`)
  for (const line of lines) write(line)
  write(`::${token}::`)
}
