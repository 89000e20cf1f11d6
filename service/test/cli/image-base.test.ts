import { resolve } from "node:path";
import { expect, test } from "vitest";
import { exec } from "@textcat/kit/process";

const REPO_ROOT = resolve(import.meta.dirname, "../../..");

test("image:base refuses an unknown flag with one line and exit 2, before building anything", async () => {
  const result = await exec(
    process.execPath,
    ["--import", "tsx", "service/scripts/image-base.ts", "--tga", "x:y"],
    { cwd: REPO_ROOT, quiet: true },
  );
  expect(result.code).toBe(2);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).toMatch(/^base-image: /);
}, 60_000);
