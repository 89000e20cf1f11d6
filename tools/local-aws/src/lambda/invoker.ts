import { AwsError } from "../aws-error.js";
import { ensureImage } from "./docker.js";
import { Sandbox, type InvocationResult, type SandboxOptions, type SandboxSpec } from "./sandbox.js";

const MAX_SANDBOXES_PER_VERSION = 8;

/** Runs invocations in warm sandboxes, starting one per version when none is free (like Lambda). */
export class Invoker {
  private readonly pools = new Map<string, Sandbox[]>();
  private readonly pulls = new Map<string, Promise<void>>();

  constructor(private readonly options: SandboxOptions) {}

  /** Pulls once per image, shared by concurrent callers; a failed pull may be retried later. */
  prepareImage(imageRef: string): Promise<void> {
    let pull = this.pulls.get(imageRef);
    if (!pull) {
      pull = ensureImage(imageRef);
      this.pulls.set(imageRef, pull);
      pull.catch(() => this.pulls.delete(imageRef));
    }
    return pull;
  }

  async invoke(
    spec: SandboxSpec,
    payload: Buffer,
    requestId: string,
    clientContext?: string,
  ): Promise<InvocationResult> {
    const pool = (this.pools.get(spec.key) ?? []).filter((sandbox) => sandbox.state !== "dead");
    this.pools.set(spec.key, pool);
    let sandbox = pool.find((candidate) => candidate.state === "idle");
    if (!sandbox) {
      if (pool.length >= MAX_SANDBOXES_PER_VERSION)
        throw new AwsError("TooManyRequestsException", "Rate Exceeded.", 429);
      await this.prepareImage(spec.imageRef);
      sandbox = new Sandbox(spec, this.options);
      pool.push(sandbox);
      await sandbox.start();
    }
    const result = await sandbox.invoke(payload, requestId, clientContext);
    if (sandbox.state === "dead")
      this.pools.set(
        spec.key,
        pool.filter((item) => item !== sandbox),
      );
    return result;
  }

  warmCount(keyPrefix = ""): number {
    return [...this.pools.entries()]
      .filter(([key]) => key.startsWith(keyPrefix))
      .reduce((count, [, pool]) => count + pool.filter((sandbox) => sandbox.state !== "dead").length, 0);
  }

  async retire(keyPrefix: string): Promise<void> {
    const retiring = [...this.pools.entries()].filter(([key]) => key.startsWith(keyPrefix));
    for (const [key] of retiring) this.pools.delete(key);
    await Promise.all(retiring.flatMap(([, pool]) => pool.map((sandbox) => sandbox.stop())));
  }

  async shutdown(): Promise<void> {
    await this.retire("");
  }
}
