import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { readActionYml } from "@textcat/action-shared/testing/action-yml";
import { IMAGE_CONTENT_PATHS, IMAGE_CONTEXT_LIST } from "@textcat/service/image-context";

const REPO_ROOT = join(import.meta.dirname, "../../..");

/** The build-context sources of the Dockerfile's COPY lines (not those copying from a stage). */
function copiedFromContext(dockerfile: string): string[] {
  return dockerfile
    .split("\n")
    .filter((line) => /^COPY\s/.test(line) && !/--from=/.test(line))
    .flatMap((line) => line.trim().split(/\s+/).slice(1, -1));
}

describe("one list of what enters the image", () => {
  test("build-test-push hashes the list image:build sends", () => {
    const inputs = readActionYml("build-test-push").inputs;
    expect(inputs["content-list"]?.default).toBe(IMAGE_CONTEXT_LIST);
    expect(inputs["content-paths"]?.default).toBe("");
  });

  test("the Dockerfile copies exactly the listed paths (and is itself the one more)", () => {
    const dockerfile = readFileSync(join(REPO_ROOT, "service/Dockerfile"), "utf8");
    const listed = IMAGE_CONTENT_PATHS.map((path) => path.replace(/\/$/, ""));
    expect([...copiedFromContext(dockerfile), "service/Dockerfile"].sort()).toEqual([...listed].sort());
  });
});
