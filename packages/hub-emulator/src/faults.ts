/**
 * Fault injection. A fault matches on method and pathname, hits `times` requests (default 1, Infinity allowed)
 * and is checked before anything else, right after the request has been recorded. Faulted requests have no side
 * effect on Spaces, except `delay`, which answers normally after a real timer.
 *
 * - status:    answer `status` with `headers` and `body` (default `{"error":"Emulated <status> fault"}`);
 *              use it to replay recorded answers byte for byte.
 * - reset:     destroy the socket (TCP RST) without answering.
 * - hang:      never answer; the socket is destroyed by close().
 * - delay:     answer normally after `delayMs`.
 * - truncated: 200 application/json with a truncated JSON body.
 */
import type { FaultSpec } from './types.js'

/** The body of a `truncated` fault: a runtime answer cut off mid-object. */
export const TRUNCATED_BODY = '{"stage":"RUNNING","hardware":{"current":"cpu-basic","requ'

interface ActiveFault {
  spec: FaultSpec
  remaining: number
}

export class FaultRegistry {
  private faults: ActiveFault[] = []

  add(spec: FaultSpec): void {
    validateFault(spec)
    this.faults.push({ spec, remaining: spec.times ?? 1 })
  }

  clear(): void {
    this.faults = []
  }

  /** The first active fault matching the request, with one hit consumed; undefined when none matches. */
  take(method: string, pathname: string): FaultSpec | undefined {
    const index = this.faults.findIndex(f => matches(f.spec, method, pathname))
    const fault = this.faults[index]
    if (fault === undefined) return undefined
    fault.remaining -= 1
    if (fault.remaining <= 0) this.faults.splice(index, 1)
    return fault.spec
  }
}

function matches(spec: FaultSpec, method: string, pathname: string): boolean {
  if (spec.method !== undefined && spec.method.toUpperCase() !== method.toUpperCase()) return false
  if (typeof spec.path === 'string') return spec.path === pathname
  spec.path.lastIndex = 0
  return spec.path.test(pathname)
}

function validateFault(spec: FaultSpec): void {
  const times = spec.times ?? 1
  if (!(times === Infinity || (Number.isInteger(times) && times >= 1))) {
    throw new Error(`Invalid fault: times must be a positive integer or Infinity, got ${String(spec.times)}`)
  }
  if (typeof spec.path !== 'string' && !(spec.path instanceof RegExp)) {
    throw new Error('Invalid fault: path must be a string or a RegExp')
  }
  switch (spec.kind) {
    case 'status':
      if (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599) {
        throw new Error(`Invalid fault: status must be an HTTP status, got ${String(spec.status)}`)
      }
      return
    case 'delay':
      if (!(Number.isFinite(spec.delayMs) && spec.delayMs >= 0)) {
        throw new Error(`Invalid fault: delayMs must be >= 0, got ${String(spec.delayMs)}`)
      }
      return
    case 'reset':
    case 'hang':
    case 'truncated':
      return
    default:
      throw new Error(`Invalid fault kind: ${String((spec as { kind?: unknown }).kind)}`)
  }
}

/**
 * A FaultSpec from JSON (the control endpoint): a `path` starting with `^` is a regex, and `times` may be the
 * string "Infinity" or null (JSON has no Infinity).
 */
export function faultFromJson(input: Record<string, unknown>): FaultSpec {
  const { path, times, ...rest } = input
  if (typeof path !== 'string') throw new Error('Invalid fault: path must be a string')
  const fault = {
    ...rest,
    path: path.startsWith('^') ? new RegExp(path) : path
  } as FaultSpec
  if (times === 'Infinity' || times === null) fault.times = Infinity
  else if (times !== undefined) fault.times = times as number
  validateFault(fault)
  return fault
}
