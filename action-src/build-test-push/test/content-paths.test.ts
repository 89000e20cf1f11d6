import { describe, expect, test } from "vitest";
import { CONTEXT_DIRS, CONTEXT_FILES, MODEL_IN_CONTEXT } from "@textcat/service/image-context";
import { DEFAULT_CONTENT_PATHS } from "../src/inputs.js";

describe("default content-paths", () => {
  test("are exactly what image:build sends as the Docker build context", () => {
    const context = [...CONTEXT_FILES, ...CONTEXT_DIRS.map((dir) => `${dir}/`), MODEL_IN_CONTEXT].sort();
    expect([...DEFAULT_CONTENT_PATHS].sort()).toEqual(context);
  });
});
