/** Bounded concurrency: work over many items (files, Spaces) without starting them all at once. */
/** Runs `work` on every item, at most `limit` at once. */
export async function inParallel<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>
): Promise<void> {
  let next = 0
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T)
  })
  await Promise.all(lanes)
}

/** `work` over every item, `limit` at a time, results in the items' order. */
export async function mapInParallel<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
  const indexes = items.map((_, i) => i)
  await inParallel(indexes, limit, async i => {
    results[i] = await work(items[i] as T)
  })
  return results
}
