import { readFileSync } from "node:fs";

/**
 * The input defaults of an action.yml, which the GitHub runner applies before it starts a
 * JavaScript action (so running a bundle by hand must apply them too). Reads the `inputs:` block's
 * `default:` values: plain, quoted, and `|` / `>` block scalars; `${{ … }}` expressions are
 * evaluated by the caller's table (unknown ones become empty, as on a runner without that context).
 */
export function inputDefaults(
  actionYmlPath: string,
  expressions: Record<string, string> = {},
): Record<string, string> {
  const lines = readFileSync(actionYmlPath, "utf8").split("\n");
  const defaults: Record<string, string> = {};
  let inInputs = false;
  let input: string | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    if (/^\S/.test(line)) inInputs = line.startsWith("inputs:");
    if (!inInputs) continue;
    const inputMatch = /^ {2}([\w-]+):\s*$/.exec(line);
    if (inputMatch) input = inputMatch[1];
    const defaultMatch = /^ {4}default:\s*(.*)$/.exec(line);
    if (!input || !defaultMatch) continue;
    const raw = (defaultMatch[1] ?? "").trim();
    let value: string;
    if (/^[|>][-+]?$/.test(raw)) {
      const block: string[] = [];
      while (
        index + 1 < lines.length &&
        (/^ {6}/.test(lines[index + 1] ?? "") || (lines[index + 1] ?? "").trim() === "")
      ) {
        block.push((lines[++index] ?? "").slice(6));
      }
      while (block.length > 0 && block.at(-1) === "") block.pop();
      value = raw.startsWith(">") ? block.join(" ") : block.join("\n") + (raw.endsWith("-") ? "" : "\n");
    } else {
      value = unquote(raw);
    }
    defaults[input] = value.replace(
      /\$\{\{\s*([^}]+?)\s*\}\}/g,
      (_match, expression: string) => expressions[expression] ?? "",
    );
  }
  return defaults;
}

function unquote(value: string): string {
  if (value.startsWith('"') && value.endsWith('"')) return JSON.parse(value) as string;
  if (value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replace(/''/g, "'");
  return value;
}
