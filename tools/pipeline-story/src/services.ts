import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { run, succeeds } from "@textcat/kit/process";

export interface Services {
  startedDocker: boolean;
  startedRegistry: boolean;
  /** Stops only what this run started (by process id), leaving running services alone. */
  stop(): Promise<void>;
}

const registryUp = (registryUrl: string): Promise<boolean> =>
  fetch(new URL("/v2/", registryUrl)).then(
    (response) => response.ok,
    () => false,
  );

/** Starts dockerd and the registry with the repository's scripts/ensure-services.sh when they are down. */
export async function ensureServices(repoRoot: string, registryUrl: string): Promise<Services> {
  const dockerWasUp = await succeeds("docker", ["info"], { timeoutMs: 20_000 });
  const registryWasUp = await registryUp(registryUrl);
  if (!dockerWasUp || !registryWasUp) {
    const port = new URL(registryUrl).port || "5000";
    await run(join(repoRoot, "scripts/ensure-services.sh"), [], {
      env: { ...process.env, REGISTRY_PORT: port },
      timeoutMs: 120_000,
      quiet: true,
    });
  }
  const registryPid = registryWasUp ? undefined : await listenerPid(new URL(registryUrl).port || "5000");
  const dockerPid = dockerWasUp
    ? undefined
    : await readFile("/var/run/docker.pid", "utf8").catch(() => undefined);
  return {
    startedDocker: !dockerWasUp,
    startedRegistry: !registryWasUp,
    async stop() {
      for (const pid of [registryPid, dockerPid?.trim()]) {
        if (pid && /^\d+$/.test(pid)) {
          try {
            process.kill(Number(pid), "SIGTERM");
          } catch {
            // already gone
          }
        }
      }
    },
  };
}

async function listenerPid(port: string): Promise<string | undefined> {
  try {
    const stdout = await run("ss", ["-ltnpH", `sport = :${port}`], { quiet: true });
    return /pid=(\d+)/.exec(stdout)?.[1];
  } catch {
    return undefined;
  }
}
