/** Percentiles of latency samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export const median = (samples: number[]): number => percentile(samples, 50);

export const round = (value: number, digits = 3): number => Math.round(value * 10 ** digits) / 10 ** digits;

export const sum = (samples: number[]): number => samples.reduce((total, value) => total + value, 0);
