import { ActionError } from "../../shared/src/errors.js";
import type { RunCommand } from "../../shared/src/exec.js";
import { failureDetail as detail } from "../../shared/src/exec.js";

/** The image commands; build and test are the service's own npm scripts. */
export class Docker {
  constructor(private readonly run: RunCommand) {}

  private async must(what: string, command: string, args: string[], input?: string): Promise<string> {
    const result = await this.run(command, args, { input });
    if (result.exitCode !== 0) {
      throw new ActionError(`${what} failed (exit ${result.exitCode})${detail(result)}`);
    }
    return result.stdout;
  }

  async build(localTag: string, baseImage: string): Promise<void> {
    await this.must("image build", "npm", [
      "run",
      "image:build",
      "--",
      "--tag",
      localTag,
      "--base-image",
      baseImage,
    ]);
  }

  async test(localTag: string): Promise<void> {
    await this.must("image tests", "npm", ["run", "image:test", "--", "--image", localTag]);
  }

  async login(registry: string, username: string, password: string): Promise<void> {
    await this.must(
      "docker login",
      "docker",
      ["login", "--username", username, "--password-stdin", registry],
      password,
    );
  }

  async logout(registry: string): Promise<void> {
    await this.run("docker", ["logout", registry], { silent: true });
  }

  /** Tags and pushes; returns the digest docker push reported. */
  async push(localTag: string, remoteRef: string): Promise<string> {
    await this.must("docker tag", "docker", ["tag", localTag, remoteRef]);
    const output = await this.must("docker push", "docker", ["push", remoteRef]);
    const digest = parsePushDigest(output);
    if (!digest) throw new ActionError(`docker push printed no digest for ${remoteRef}`);
    return digest;
  }
}

/** The digest from docker push's last line: "<tag>: digest: sha256:<hex> size: <n>". */
export function parsePushDigest(output: string): string | undefined {
  const matches = [...output.matchAll(/digest: (sha256:[0-9a-f]{64})/g)];
  return matches[matches.length - 1]?.[1];
}
