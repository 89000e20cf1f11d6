/**
 * Pins the bench and scikit-learn's process to one CPU for the warm requests. On this shared 2-vCPU VM
 * one vCPU can run slower than the other for the length of a run, and each process tends to stay on its
 * vCPU: unpinned, six runs gave batch ratios from 1.5× to 3.5× with the three rounds of each run
 * agreeing. Pinned, the two sides take turns on one CPU and a slow spell weighs on both. Neither side
 * runs more than one thread at a time there (ORT_INTRA_OP_THREADS is 1, scikit-learn's predict is
 * single-threaded). Cold starts are measured before, unpinned: a fresh Node process compiles and
 * collects garbage on helper threads.
 */
import { exec } from "@textcat/kit/process";

/**
 * `taskset` (util-linux) on every thread of this process and of `others`, on the last CPU this process
 * may use; where it is missing or fails, says so and leaves them unpinned.
 */
export async function pinToOneCpu(others: number[]): Promise<string> {
  try {
    const current = await exec("taskset", ["--cpu-list", "--pid", String(process.pid)], { quiet: true });
    const cpu = current.stdout.trim().split(":").pop()?.split(",").pop()?.split("-").pop()?.trim();
    if (current.code !== 0 || !cpu) return `not pinned to one CPU (taskset: ${current.stderr.trim()})`;
    for (const pid of [process.pid, ...others]) {
      const pinned = await exec("taskset", ["--all-tasks", "--cpu-list", "--pid", cpu, String(pid)], {
        quiet: true,
      });
      if (pinned.code !== 0) return `not pinned to one CPU (taskset: ${pinned.stderr.trim()})`;
    }
    return `warm requests pinned to CPU ${cpu}, scikit-learn's too`;
  } catch (error) {
    return `not pinned to one CPU (${(error as Error).message})`;
  }
}
