import { AwsError } from "../aws-error.js";
import { ensureImage } from "./docker.js";
import { Sandbox, type InvocationResult, type SandboxOptions, type SandboxSpec } from "./sandbox.js";

const MAX_SANDBOXES_PER_VERSION = 8;

export interface InvokerOptions extends SandboxOptions {
  /** On-demand containers per version at most (provisioned ones come on top); a stand-in limit, not Lambda's. */
  maxSandboxesPerVersion?: number;
}

/** Runs invocations in warm sandboxes, starting one per version when none is free (like Lambda). */
export class Invoker {
  private readonly pools = new Map<string, Sandbox[]>();
  private readonly pulls = new Map<string, Promise<void>>();
  /** Invocations that had to start (and wait for) a new container, per sandbox key. */
  private readonly colds = new Map<string, number>();

  constructor(private readonly options: InvokerOptions) {}

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
    const pool = this.livePool(spec.key);
    let sandbox = pool.find((candidate) => candidate.state === "idle");
    if (!sandbox) {
      const onDemand = pool.filter((candidate) => !candidate.provisioned).length;
      if (onDemand >= (this.options.maxSandboxesPerVersion ?? MAX_SANDBOXES_PER_VERSION))
        throw new AwsError("TooManyRequestsException", "Rate Exceeded.", 429);
      await this.prepareImage(spec.imageRef);
      sandbox = new Sandbox(spec, this.options);
      pool.push(sandbox);
      this.colds.set(spec.key, (this.colds.get(spec.key) ?? 0) + 1);
      await sandbox.start();
    }
    const result = await sandbox.invoke(payload, requestId, clientContext);
    if (sandbox.retiring) void sandbox.stop();
    if (sandbox.state === "dead")
      this.pools.set(
        spec.key,
        pool.filter((item) => item !== sandbox),
      );
    return result;
  }

  /**
   * Provisioned concurrency: `count` containers of this version started and initialized (the runtime asked
   * for its first event) before this resolves; it rejects with the first one that could not start.
   */
  async provision(spec: SandboxSpec, count: number): Promise<void> {
    const pool = this.livePool(spec.key);
    const have = pool.filter((sandbox) => sandbox.provisioned);
    for (const extra of have.slice(count)) void extra.stop();
    await this.prepareImage(spec.imageRef);
    const started: Sandbox[] = [];
    for (let index = have.length; index < count; index++) {
      const sandbox = new Sandbox(spec, this.options, true);
      pool.push(sandbox);
      started.push(sandbox);
    }
    await Promise.all(started.map((sandbox) => sandbox.start()));
    const ready = have
      .slice(0, count)
      .concat(started)
      .map((sandbox) => sandbox.initialized);
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`init did not finish within ${this.options.initTimeoutMs / 1000} s`)),
        this.options.initTimeoutMs,
      );
    });
    try {
      await Promise.race([Promise.all(ready), limit]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops the provisioned containers of a version (on-demand ones stay until retired). */
  async unprovision(key: string): Promise<void> {
    const pool = this.livePool(key);
    const provisioned = pool.filter((sandbox) => sandbox.provisioned);
    this.pools.set(
      key,
      pool.filter((sandbox) => !sandbox.provisioned || sandbox.state === "busy"),
    );
    for (const sandbox of provisioned) sandbox.retiring = true;
    await Promise.all(
      provisioned.filter((sandbox) => sandbox.state !== "busy").map((sandbox) => sandbox.stop()),
    );
  }

  private livePool(key: string): Sandbox[] {
    const pool = (this.pools.get(key) ?? []).filter((sandbox) => sandbox.state !== "dead");
    this.pools.set(key, pool);
    return pool;
  }

  /** How many invocations of versions whose key starts with the prefix met a cold (new) container. */
  coldStarts(keyPrefix = ""): number {
    return [...this.colds.entries()]
      .filter(([key]) => key.startsWith(keyPrefix))
      .reduce((count, [, colds]) => count + colds, 0);
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
