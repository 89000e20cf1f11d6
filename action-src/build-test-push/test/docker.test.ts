import { describe, expect, test } from "vitest";
import { isContainerdStore, parsePushDigest, pushArguments } from "../src/docker.js";

const digest = "sha256:" + "ab".repeat(32);

describe("parsePushDigest", () => {
  test.each([
    [
      `The push refers to repository [1.dkr.ecr/x]\nabc: Pushed\nck-1: digest: ${digest} size: 1789\n`,
      digest,
    ],
    [`layer: digest: sha256:${"00".repeat(32)} size: 1\nck-1: digest: ${digest} size: 2`, digest],
    ["error pushing", undefined],
    ["digest: sha256:short size: 1", undefined],
  ])("%j → %s", (output, expected) => {
    expect(parsePushDigest(output)).toBe(expected);
  });
});

describe("pushing one linux/amd64 manifest", () => {
  // `docker info --format '{{json .DriverStatus}}'` on each store (the classic one is this machine's).
  const CLASSIC =
    '[["Backing Filesystem","extfs"],["Supports d_type","true"],["Native Overlay Diff","true"]]';
  const CONTAINERD = '[["driver-type","io.containerd.snapshotter.v1"]]';

  test("the containerd store (Docker 29's default) pushes only the linux/amd64 manifest", () => {
    expect(isContainerdStore(CONTAINERD)).toBe(true);
    expect(pushArguments("r/x:ck-1", true)).toEqual(["push", "--platform", "linux/amd64", "r/x:ck-1"]);
  });

  test("the classic store pushes its single manifest as is", () => {
    expect(isContainerdStore(CLASSIC)).toBe(false);
    expect(pushArguments("r/x:ck-1", false)).toEqual(["push", "r/x:ck-1"]);
  });
});
