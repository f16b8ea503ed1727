/** One logger, injected: the runner's in the action, a recording one in tests. */
export interface Logger {
  info(line: string): void
  warn(line: string): void
  debug(line: string): void
  /** Runs `body` inside a folded log group named `title`. */
  group<T>(title: string, body: () => Promise<T>): Promise<T>
}
