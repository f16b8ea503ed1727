/** One logger, injected: the runner's in the action, a recording one in tests. */
export interface Logger {
  info(line: string): void
  warn(line: string): void
  debug(line: string): void
  /** An error annotation that does not fail the step: one Space of several failed. */
  error(line: string): void
  /** A notice annotation. */
  notice(line: string): void
  /** Prints text the Space or the Hub wrote (a log tail) so that no line of it can act as a workflow command. */
  untrusted(text: string): void
  /** Runs `body` inside a folded log group named `title`. */
  group<T>(title: string, body: () => Promise<T>): Promise<T>
  /** Opens a group that something long-running (a live log) closes with `endGroup`. */
  startGroup(title: string): void
  endGroup(): void
}

/** The same logger with `prefix` on each of its lines: the many-Spaces step names the Space on each. */
export function prefixed(log: Logger, prefix: string): Logger {
  return {
    info: line => log.info(prefix + line),
    warn: line => log.warn(prefix + line),
    debug: line => log.debug(prefix + line),
    error: line => log.error(prefix + line),
    notice: line => log.notice(prefix + line),
    untrusted: text => log.untrusted(text),
    group: (title, body) => log.group(prefix + title, body),
    startGroup: title => log.startGroup(prefix + title),
    endGroup: () => log.endGroup()
  }
}
