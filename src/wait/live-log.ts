/**
 * Live Space logs during the wait: the build log while the Space builds, the run log while the app starts, each in a
 * folded group from the stage that starts it to the next stage change, line by line as the lines arrive. The Hub
 * replays a log from its first line on every connection, so a reconnect skips the lines already printed (counted
 * by position, as huggingface_hub does). Log text is the Space author's: it is printed only through the sink,
 * which wraps it with the untrusted-text guard (src/report/untrusted.ts).
 */
import type { Clock } from '../clock.js'
import { ActionError } from '../errors.js'
import type { LogKind } from '../hub/spaces.js'
import type { Runtime } from '../hub/types.js'

export interface LogFollower {
  followLog(spaceId: string, kind: LogKind, signal: AbortSignal): AsyncIterable<string>
}

export interface LogSink {
  group(title: string): void
  endGroup(): void
  /** One line of Space log text (untrusted). */
  line(text: string): void
}

/** What the wait reports to whoever watches it: each stage change, then the end of the wait. */
export interface WaitWatcher {
  observe(runtime: Runtime): void
  stop(): Promise<void>
}

const FIRST_RECONNECT_MS = 1_000
const MAX_RECONNECT_MS = 10_000
/**
 * The Hub holds a log stream open while it follows the log (docs/hub-api.md §9: keep-alives). A stream that ends
 * cleanly within HELD_OPEN_MS of opening came from a server that only replays the log (the emulator, a proxy):
 * each reconnect is then a poll of the whole log, and REPLAY_POLL_MS apart is often enough for a build's lines.
 */
const HELD_OPEN_MS = 1_000
const REPLAY_POLL_MS = 5_000
/** Answers that another connection will not change: logs need the owner's or a writer's token. */
const FINAL = new Set(['unauthorized', 'forbidden', 'not-found', 'bad-request', 'payment-required'])

export function logKindFor(stage: string): LogKind | undefined {
  if (stage === 'BUILDING' || stage === 'RUNNING_BUILDING') return 'build'
  if (stage === 'APP_STARTING' || stage === 'RUNNING_APP_STARTING') return 'run'
  return undefined
}

export class LiveLog implements WaitWatcher {
  private current: { kind: LogKind; abort: AbortController; done: Promise<void> } | undefined

  constructor(
    private readonly spaces: LogFollower,
    private readonly spaceId: string,
    private readonly clock: Clock,
    private readonly sink: LogSink,
    private readonly signal?: AbortSignal
  ) {}

  observe(runtime: Runtime): void {
    const kind = logKindFor(runtime.stage)
    if (kind === this.current?.kind) return
    this.close()
    if (!kind || this.signal?.aborted) return
    const abort = new AbortController()
    const signal = this.signal ? AbortSignal.any([abort.signal, this.signal]) : abort.signal
    this.sink.group(`${kind === 'build' ? 'Build' : 'Run'} log of ${this.spaceId} (live)`)
    this.current = { kind, abort, done: this.follow(kind, signal) }
  }

  async stop(): Promise<void> {
    const done = this.current?.done
    this.close()
    await done
  }

  /** Synchronous, so that the next line the wait prints (the new stage) is outside the group. */
  private close(): void {
    if (!this.current) return
    this.current.abort.abort()
    this.current = undefined
    this.sink.endGroup()
  }

  private async follow(kind: LogKind, signal: AbortSignal): Promise<void> {
    let printed = 0
    let delay = FIRST_RECONNECT_MS
    while (!signal.aborted) {
      let seen = 0
      const opened = this.clock.now()
      let replayOnly = false
      try {
        for await (const text of this.spaces.followLog(this.spaceId, kind, signal)) {
          if (signal.aborted) return
          if (++seen <= printed) continue
          printed = seen
          delay = FIRST_RECONNECT_MS
          this.sink.line(text)
        }
        replayOnly = this.clock.now() - opened < HELD_OPEN_MS
      } catch (error) {
        if (signal.aborted || (error instanceof ActionError && FINAL.has(error.code))) return
      }
      try {
        await this.clock.sleep(replayOnly ? Math.max(delay, REPLAY_POLL_MS) : delay, signal)
      } catch {
        return
      }
      delay = Math.min(MAX_RECONNECT_MS, delay * 2)
    }
  }
}
