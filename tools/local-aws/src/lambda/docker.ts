import { execFile } from "node:child_process";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export async function docker(args: string[], timeoutMs = 300_000): Promise<string> {
  try {
    const { stdout } = await execFileAsync("docker", args, {
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout.trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`docker ${args[0] ?? ""} failed: ${stderr || String(error)}`);
  }
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
export function buildFromDockerfile(tag: string, dockerfile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "docker",
      ["build", "--quiet", "--tag", tag, "-"],
      { env: { ...process.env, DOCKER_BUILDKIT: "0" } },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`docker build ${tag} failed: ${stderr.trim()}`)) : resolve(),
    );
    child.stdin?.end(dockerfile);
  });
}
