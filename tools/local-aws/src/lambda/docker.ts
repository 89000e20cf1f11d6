import { run } from "@textcat/kit/process";

/** A docker command's trimmed stdout; a failure is a CommandError naming the command with its stderr. */
export async function docker(args: string[], timeoutMs = 300_000): Promise<string> {
  return (await run("docker", args, { timeoutMs, quiet: true })).trim();
}

/** Pulls an image by digest unless the engine already holds it (a pull of a present digest is a no-op anyway). */
export async function ensureImage(imageRef: string): Promise<void> {
  try {
    await docker(["image", "inspect", "--format", "{{.Id}}", imageRef], 30_000);
  } catch {
    await docker(["pull", "--quiet", imageRef]);
  }
}

export async function removeContainers(names: string[]): Promise<void> {
  if (names.length === 0) return;
  await docker(["rm", "--force", ...names], 60_000).catch(() => undefined);
}

/** `docker build` of a Dockerfile given as text, without a context (FROM/ENV/LABEL only), classic builder. */
export async function buildFromDockerfile(tag: string, dockerfile: string): Promise<void> {
  await run("docker", ["build", "--quiet", "--tag", tag, "-"], {
    input: dockerfile,
    env: { ...process.env, DOCKER_BUILDKIT: "0" },
    quiet: true,
  });
}
