/**
 * Holds: a matching request is recorded, then neither applied nor answered until the test releases it; released, it is
 * applied and answered as usual, even if its client has gone. Unlike the `hang` fault, its effect still lands: this is
 * a write in flight when a job is cancelled, or a pause between two steps of the client (preupload and the reads
 * after it) for a test to act in, ordered by events, never by timers.
 */
export interface HoldSpec {
  /** Default: any method. */
  method?: string
  /** Exact pathname or a regex on the pathname (no query). */
  path: string | RegExp
}

export interface Hold {
  /** Resolves when a matching request has arrived (and is being held). */
  readonly arrived: Promise<void>
  /** Lets the held request (and any later matching one) go on. */
  release(): void
}

interface ActiveHold {
  spec: HoldSpec
  released: Promise<void>
  arrive: () => void
}

export class HoldRegistry {
  private holds: ActiveHold[] = []

  add(spec: HoldSpec): Hold {
    let release = (): void => undefined
    let arrive = (): void => undefined
    const released = new Promise<void>(resolve => (release = resolve))
    const arrived = new Promise<void>(resolve => (arrive = resolve))
    const hold: ActiveHold = { spec, released, arrive }
    this.holds.push(hold)
    return {
      arrived,
      release: () => {
        this.holds = this.holds.filter(h => h !== hold)
        release()
      }
    }
  }

  /** The wait for the first hold matching the request; undefined when none does. */
  take(method: string, pathname: string): Promise<void> | undefined {
    const hold = this.holds.find(({ spec }) => {
      if (spec.method !== undefined && spec.method.toUpperCase() !== method.toUpperCase()) return false
      return typeof spec.path === 'string'
        ? spec.path === pathname
        : new RegExp(spec.path.source).test(pathname)
    })
    if (!hold) return undefined
    hold.arrive()
    return hold.released
  }

  /** Forgets every hold (the emulator is closing): what is still held is never applied. */
  clear(): void {
    this.holds = []
  }
}
