/** The benchmarks' one statistic: the median, which one slow run on a shared machine does not move. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? NaN
}
