/**
 * HubError: a failed Hub call, with what the Hub said (status, X-Error-Code, message, request id)
 * and advice a person can act on. The advice is decided on the status class, not on exact wording,
 * because the Hub's messages are not a contract (docs/hub-api.md §8).
 */
import { ActionError, joinAdvice, type ErrorCode } from '../errors.js'
import { formatDuration } from '../plan/duration.js'

export interface HubErrorDetails {
  method: string
  /** The path only: URLs never carry secrets here, but the endpoint may be a private host. */
  path: string
  status: number
  errorCode: string | null
  serverMessage: string | null
  requestId: string | null
  /** Seconds until the rate-limit window resets, when the Hub said. */
  resetSeconds: number | null
  /** Requests sent, the failed one included; undefined when not counted. */
  attempts?: number
  /** Why the last one was not sent again, when it could have been. */
  notRetried?: string | null
}

export class HubError extends ActionError {
  readonly details: HubErrorDetails

  constructor(code: ErrorCode, message: string, advice: string, details: HubErrorDetails) {
    super(code, message, advice, details.status)
    this.name = 'HubError'
    this.details = details
  }

  override withAdvice(more: string): HubError {
    return more ? new HubError(this.code, this.message, joinAdvice(this.advice, more), this.details) : this
  }
}

/** The server's own words: X-Error-Message and the body's error fields, without repeats (as the Python client does). */
export function serverMessage(headerMessage: string | null, body: unknown): string | null {
  const parts: string[] = []
  const add = (value: unknown): void => {
    if (typeof value === 'string' && value.trim() && !parts.includes(value.trim())) parts.push(value.trim())
  }
  add(headerMessage)
  if (typeof body === 'object' && body !== null) {
    const json = body as Record<string, unknown>
    add(json.error)
    add(json.error_description)
    if (Array.isArray(json.errors)) {
      for (const item of json.errors) add((item as Record<string, unknown> | null)?.message)
    }
  } else if (typeof body === 'string' && body.length < 300 && !body.trimStart().startsWith('<')) {
    add(body)
  }
  return parts.length ? parts.join(' — ') : null
}

/** Whether `error` is a 404 (the Hub's, or GitHub's): what was asked for does not exist, or cannot be seen. */
export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 404
}

const PAYMENT_WORDS = /payment|billing|credit card|subscription|pro plan|upgrade your (account|plan)/i

export function hubError(details: HubErrorDetails): HubError {
  const { status, method, path } = details
  const said = details.serverMessage ? `: ${details.serverMessage}` : ''
  const request = details.requestId ? ` (request id ${details.requestId})` : ''
  const tries =
    (details.attempts ?? 0) > 1 || details.notRetried ? `, after ${details.attempts ?? 1} attempt(s)` : ''
  const why = details.notRetried ? `; not retried: ${details.notRetried}` : ''
  const message = `${method} ${path} failed with HTTP ${status}${said}${request}${tries}${why}`
  const [code, advice] = classify(details)
  return new HubError(code, message, advice, details)
}

function classify(details: HubErrorDetails): [ErrorCode, string] {
  const { status } = details
  if (status === 401) {
    return [
      'unauthorized',
      'The Hub did not accept the token. Check that HF_TOKEN (or the `token` input) is set, is a valid Hugging Face ' +
        'token, and has write access to this Space. For a private Space, a 401 also means the token cannot see it.'
    ]
  }
  if (status === 402 || (status === 403 && PAYMENT_WORDS.test(details.serverMessage ?? ''))) {
    return [
      'payment-required',
      'The Hub requires billing for this: paid hardware needs a payment method on the account that owns the Space ' +
        '(https://huggingface.co/settings/billing), and Gradio or Docker Spaces need a PRO, Team or Enterprise plan.'
    ]
  }
  if (status === 403) {
    return [
      'forbidden',
      'The token is not allowed to do this. Only the owner of the Space (or a member of its organization with the ' +
        'write role) can change hardware, sleep time, pause or restart it; a read-only or fine-grained token needs ' +
        'write access to this Space. Paid hardware also needs a payment method on the owning account.'
    ]
  }
  if (status === 404 || details.errorCode === 'RepoNotFound') {
    return [
      'not-found',
      'The Space does not exist, or the token cannot see it (a private Space needs a token with access). Check ' +
        '`space-id` (owner/name, as in the Space URL) and the token.'
    ]
  }
  if (status === 429) {
    const when =
      details.resetSeconds !== null ? ` The limit resets in ${formatDuration(details.resetSeconds)}.` : ''
    return [
      'rate-limited',
      `The Hub rate limit for this account or IP is used up.${when} Poll fewer Spaces at once, or run the job later.`
    ]
  }
  if (status >= 300 && status < 400) {
    return [
      'bad-response',
      'The Hub redirected the call somewhere the action will not send the token (another host, or too many hops). ' +
        'Check `endpoint`, and whether the Space was moved.'
    ]
  }
  if (status >= 500) {
    return [
      'hub-unavailable',
      (details.attempts ?? 1) > 1
        ? 'The Hub is failing or overloaded; the action already retried. Re-run the job later.'
        : 'The Hub is failing or overloaded. Re-run the job later.'
    ]
  }
  return ['bad-request', 'The Hub refused the request as sent; its message above says why.']
}
