/** Test helper: reads an action's action.yml, to check the code against what it declares. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readActionYml as readActionDir, type ActionMetadata } from "../runner/runner.js";
import { ACTION_SRC } from "./run-bundle.js";

export type { ActionMetadata };

export function readActionYml(action: string): ActionMetadata {
  return readActionDir(join(ACTION_SRC, action));
}

/** The defaults the runner fills in, as INPUT values; expressions (${{ … }}) are left out. */
export function literalDefaults(metadata: ActionMetadata): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata.inputs)
      .filter(([, input]) => input.default !== undefined && !String(input.default).includes("${{"))
      .map(([name, input]) => [name, String(input.default)]),
  );
}

/** The output names main.ts sets with core.setOutput("…"). */
export function outputsSetIn(action: string): string[] {
  const source = readFileSync(join(ACTION_SRC, action, "src", "main.ts"), "utf8");
  return [...source.matchAll(/core\.setOutput\("([^"]+)"/g)].map((match) => match[1]!).sort();
}
