/**
 * The `secrets` and `variables` inputs: dotenv text. Values are parsed by the maintained `dotenv` parser (quotes,
 * escapes, `#` comments, `=` and commas inside quotes, real new lines in a PEM key). This module only finds where each
 * entry starts and ends, so that a malformed line fails with its line number, never its value, and adds one thing
 * dotenv does not have: a bare `KEY` takes the value of the environment variable KEY, so a workflow passes
 * `${{ secrets.X }}` through `env:` without writing it into the input.
 */
import { parse } from 'dotenv'
import { badInput } from '../errors.js'

export interface KeyValue {
  key: string
  value: string
  /** The line the entry starts on, for messages. */
  line: number
}

const QUOTE_ADVICE = 'If the line belongs to a multi-line value (a PEM key), put the value in double quotes.'

/** The Hub's key pattern for secrets and variables (SPEC `^[a-zA-Z][_a-zA-Z0-9]*$`). */
const HUB_KEY = /^[a-zA-Z][_a-zA-Z0-9]*$/
const ASSIGNMENT = /^\s*(?:export\s+)?([^\s=#]+)\s*=(.*)$/
const BARE = /^\s*(?:export\s+)?([^\s=#]+)\s*$/

/**
 * With `mask` (the secrets input), a line that does not parse is masked before the error is raised, and errors never
 * quote a line that is not a clear `KEY=value`: a line of an unquoted PEM key looks like a bare key or a bad one.
 */
export function parseKeyValues(
  text: string,
  input: string,
  env: NodeJS.ProcessEnv,
  mask?: (text: string) => void
): KeyValue[] {
  const lines = text.split(/\r?\n/)
  const entries: KeyValue[] = []
  const seen = new Map<string, number>()
  const refusal = (refused: string[], message: string, advice?: string): Error => {
    for (const line of refused) if (mask && line.trim()) mask(line.trim())
    return badInput(message, advice)
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const number = i + 1
    if (!line.trim() || line.trim().startsWith('#')) continue
    const assignment = ASSIGNMENT.exec(line)
    const bare = assignment ? null : BARE.exec(line)
    const key = assignment?.[1] ?? bare?.[1]
    if (!key) {
      throw refusal(
        [line],
        `Input \`${input}\`, line ${number}: expected KEY=value, a bare KEY (read from the environment), or a # comment.`,
        mask ? QUOTE_ADVICE : undefined
      )
    }
    if (!HUB_KEY.test(key)) {
      throw refusal(
        [line],
        `Input \`${input}\`, line ${number}: ${mask ? 'the key on this line is not valid' : `"${key}" is not a valid key`}.`,
        `Keys start with a letter and hold only letters, digits and "_".${mask ? ` ${QUOTE_ADVICE}` : ''}`
      )
    }
    const earlier = seen.get(key)
    if (earlier !== undefined)
      throw badInput(`Input \`${input}\`, line ${number}: ${key} is already set on line ${earlier}.`)
    seen.set(key, number)

    if (bare) {
      const value = env[key]
      if (value === undefined || value === '') {
        const name = mask ? 'the bare key on this line' : key
        throw refusal(
          [line],
          `Input \`${input}\`, line ${number}: ${name} is ${value === undefined ? 'not set' : 'empty'} in the environment.`,
          `Pass it to the step, for example env: ${mask ? 'KEY' : key}: \${{ secrets.${mask ? 'KEY' : key} }} ` +
            `(an undefined GitHub secret is empty).${mask ? ` ${QUOTE_ADVICE}` : ''}`
        )
      }
      entries.push({ key, value, line: number })
      continue
    }

    // A quoted value may run over several lines: take lines until its closing quote.
    let end = i
    const quote = /^\s*(["'`])/.exec(assignment?.[2] ?? '')?.[1]
    if (quote && !closes(assignment?.[2] ?? '', quote)) {
      do end++
      while (end < lines.length && !closesLine(lines[end] ?? '', quote))
      if (end >= lines.length) {
        throw refusal(
          lines.slice(i),
          `Input \`${input}\`, line ${number}: the quoted value of ${key} is never closed.`
        )
      }
    }
    const value = parse(lines.slice(i, end + 1).join('\n'))[key]
    if (value === undefined)
      throw badInput(`Input \`${input}\`, line ${number}: the value of ${key} cannot be read.`)
    entries.push({ key, value, line: number })
    i = end
  }
  return entries
}

/** A list of keys (for deleting): separated by commas, spaces or new lines. */
export function parseKeys(text: string, input: string): string[] {
  const keys = text.split(/[\s,]+/).filter(Boolean)
  for (const key of keys) {
    if (!HUB_KEY.test(key)) throw badInput(`Input \`${input}\`: "${key}" is not a valid key.`)
  }
  return [...new Set(keys)]
}

/** Whether the value part `= "…"` closes its quote on the same line. */
function closes(valuePart: string, quote: string): boolean {
  const start = valuePart.indexOf(quote)
  return closesLine(valuePart.slice(start + 1), quote)
}

function closesLine(text: string, quote: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && quote === '"') i++
    else if (text[i] === quote) return true
  }
  return false
}
