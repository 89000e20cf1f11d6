import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ActionYmlError, readActionYml } from "../runner/runner.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "action-yml-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("readActionYml", () => {
  test("reads a composite action, with no inputs or outputs declared read as none", async () => {
    await writeFile(
      join(dir, "action.yml"),
      "name: c\nruns:\n  using: composite\n  steps:\n    - run: echo hi\n      shell: bash\n",
    );
    expect(readActionYml(dir)).toEqual({
      name: "c",
      inputs: {},
      outputs: {},
      runs: { using: "composite", steps: [{ run: "echo hi", shell: "bash" }] },
    });
  });

  test("names the path of a missing action.yml", () => {
    expect(() => readActionYml(dir)).toThrow(
      new ActionYmlError(`no action.yml at ${join(dir, "action.yml")}`),
    );
  });

  test("keeps the YAML error as the cause", async () => {
    await writeFile(join(dir, "action.yml"), "runs: [unclosed\n");
    const error = (() => {
      try {
        readActionYml(dir);
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error).toBeInstanceOf(ActionYmlError);
    expect(error?.message).toContain(join(dir, "action.yml"));
    expect(error?.cause).toBeInstanceOf(Error);
  });

  test("refuses an action.yml that does not say how it runs", async () => {
    await writeFile(join(dir, "action.yml"), "name: x\ninputs: {}\n");
    expect(() => readActionYml(dir)).toThrow(`${join(dir, "action.yml")}: no runs.using`);
  });
});
