import type { Clock } from "./clock.js";
import { systemClock } from "./clock.js";

export interface StepTiming {
  step: string;
  ms: number;
  outcome: "ok" | "failed" | "skipped";
}

/** Records how long each named step took, for the job summary. */
export class StepTimings {
  readonly steps: StepTiming[] = [];

  constructor(private readonly clock: Clock = systemClock) {}

  async time<T>(step: string, fn: () => Promise<T>): Promise<T> {
    const start = this.clock.now();
    try {
      const result = await fn();
      this.steps.push({ step, ms: this.clock.now() - start, outcome: "ok" });
      return result;
    } catch (error) {
      this.steps.push({ step, ms: this.clock.now() - start, outcome: "failed" });
      throw error;
    }
  }

  skip(step: string): void {
    this.steps.push({ step, ms: 0, outcome: "skipped" });
  }

  totalMs(): number {
    return this.steps.reduce((sum, s) => sum + s.ms, 0);
  }
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
