import { describe, expect, it } from "vitest";

import { defaultCacheDir } from "../../src/data/index.js";

describe("defaultCacheDir", () => {
  it.each([
    [{ TEXTCAT_CACHE_DIR: "/custom", XDG_CACHE_HOME: "/xdg" }, "/custom"],
    [{ XDG_CACHE_HOME: "/xdg" }, "/xdg/textcat-lambda"],
    [{ XDG_CACHE_HOME: "" }, "/home/u/.cache/textcat-lambda"],
    [{}, "/home/u/.cache/textcat-lambda"],
  ])("with %j is %s", (env, expected) => {
    expect(defaultCacheDir(env, "/home/u")).toBe(expected);
  });
});
