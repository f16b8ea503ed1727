/**
 * Errors are values: a stable code for tests and programs, a message for people, and advice that says what to do.
 * Everything the action reports as a failure goes through this type.
 */
export type ErrorCode =
  | 'bad-input'
  | 'no-token'
  | 'unknown-hardware'
  | 'unauthorized'
  | 'forbidden'
  | 'payment-required'
  | 'not-found'
  | 'rate-limited'
  | 'bad-request'
  | 'hub-unavailable'
  | 'network'
  | 'bad-response'
  | 'space-failed'
  | 'no-build'
  | 'timeout'
  | 'cancelled'
  /** A mistake in the action itself: never retried, always reported as a bug. */
  | 'bug'

export class ActionError extends Error {
  readonly code: ErrorCode
  readonly advice: string
  /** The HTTP status behind the error, 0 when there was no answer or no request. */
  readonly status: number

  constructor(code: ErrorCode, message: string, advice = '', status = 0) {
    super(message)
    this.name = 'ActionError'
    this.code = code
    this.advice = advice
    this.status = status
  }

  /**
   * The same failure with what was learned after the fact (what whoami says about the token, say) added to the
   * advice: a new value, because an error may already be held elsewhere once thrown. Subclasses whose type callers
   * test for (HubError) override it to keep it.
   */
  withAdvice(more: string): ActionError {
    return more ? new ActionError(this.code, this.message, joinAdvice(this.advice, more), this.status) : this
  }

  /** The message and the advice, as one text for `core.setFailed` and the summary. */
  describe(): string {
    return this.advice ? `${this.message}\n${this.advice}` : this.message
  }
}

export function joinAdvice(advice: string, more: string): string {
  return advice ? `${advice}\n${more}` : more
}

export function badInput(message: string, advice = ''): ActionError {
  return new ActionError('bad-input', message, advice)
}

/** Any thrown value as an ActionError, so the top level has one shape to report. */
export function asActionError(error: unknown): ActionError {
  if (error instanceof ActionError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new ActionError(
    'bug',
    `Unexpected error: ${message}`,
    'This is a bug in the action: please report it.'
  )
}
