import { ActionError } from "@textcat/action-shared/errors";
import type { RunCommand } from "@textcat/action-shared/exec";
import { failureDetail as detail } from "@textcat/action-shared/exec";

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

  /** Whether the daemon keeps images in the containerd image store (Docker 29's default). */
  async usesContainerdStore(): Promise<boolean> {
    const info = await this.must("docker info", "docker", ["info", "--format", "{{json .DriverStatus}}"]);
    return isContainerdStore(info);
  }

  /** Tags and pushes one linux/amd64 image manifest; returns the digest docker push reported. */
  async push(localTag: string, remoteRef: string): Promise<string> {
    await this.must("docker tag", "docker", ["tag", localTag, remoteRef]);
    const output = await this.must(
      "docker push",
      "docker",
      pushArguments(remoteRef, await this.usesContainerdStore()),
    );
    const digest = parsePushDigest(output);
    if (!digest) throw new ActionError(`docker push printed no digest for ${remoteRef}`);
    return digest;
  }
}

/** Lambda runs x86_64 here, and an image for it "must target only one of the architectures". */
export const LAMBDA_PLATFORM = "linux/amd64";

/**
 * `docker info` DriverStatus names the snapshotter (`driver-type io.containerd.snapshotter.v1`) when
 * the containerd image store is on, which Docker Engine 29 uses by default
 * (https://docs.docker.com/engine/storage/containerd/); the classic store reports overlay2's fields.
 */
export function isContainerdStore(driverStatus: string): boolean {
  return driverStatus.includes("io.containerd.snapshotter");
}

/**
 * Lambda refuses an image index ("Lambda does not support multi-architecture images",
 * https://docs.aws.amazon.com/lambda/latest/dg/images-create.html). The containerd store keeps an
 * image as an index (with attestations, if any) and a plain `docker push` pushes that index;
 * `docker push --platform` "pushes a platform-specific manifest as a single-platform image … Image
 * index won't be pushed" (docker-push(1), Docker 28+). The classic store has no index to push, and
 * its daemons may predate the flag (API < 1.46), so it gets the plain push.
 */
export function pushArguments(remoteRef: string, containerdStore: boolean): string[] {
  return containerdStore ? ["push", "--platform", LAMBDA_PLATFORM, remoteRef] : ["push", remoteRef];
}

/** The digest from docker push's last line: "<tag>: digest: sha256:<hex> size: <n>". */
export function parsePushDigest(output: string): string | undefined {
  const matches = [...output.matchAll(/digest: (sha256:[0-9a-f]{64})/g)];
  return matches[matches.length - 1]?.[1];
}
