/**
 * One argument style: every command-line entry point reads its options through @textcat/kit/args
 * (node:util's parseArgs, strict), so a mistyped option is one line on stderr and exit 2 everywhere.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { exec } from "@textcat/kit/process";

const ROOT = resolve(import.meta.dirname, "../..");
const SCRIPTS = (
  JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts;

/** npm scripts that take options (the others take none, or hand them to another tool: test:mutation). */
const WITH_OPTIONS = [
  "train",
  "fixture:write",
  "bench:train",
  "bench:parity",
  "bench:data",
  "bench:service",
  "bench:burst",
  "image:base",
  "image:build",
  "image:test",
  "base-image:update",
  "local-aws",
  "pipeline:local",
  "infra:synth",
  "build:actions",
];

/** The TypeScript file an npm script runs with tsx, and the arguments the script itself passes. */
function entry(script: string): { file: string; args: string[] } {
  const command = SCRIPTS[script];
  const match = command && /tsx (\S+\.ts)((?: \S+)*)$/.exec(command);
  if (!match) throw new Error(`npm script ${script} does not run a .ts file with tsx: ${command}`);
  return { file: match[1]!, args: match[2]!.trim().split(" ").filter(Boolean) };
}

describe.each(WITH_OPTIONS)("npm run %s -- --no-such-option", (script) => {
  test("is one line naming the option, exit 2", async () => {
    const { file, args } = entry(script);
    const result = await exec(resolve(ROOT, "node_modules/.bin/tsx"), [file, ...args, "--no-such-option"], {
      cwd: ROOT,
      quiet: true,
      timeoutMs: 60_000,
    });
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("'--no-such-option'");
  }, 90_000);
});

test("only the kit calls node:util's parseArgs", async () => {
  const tracked = await exec("git", ["ls-files", "*.ts", "*.mjs"], { cwd: ROOT, quiet: true });
  const callers = tracked.stdout
    .split("\n")
    .filter((path) => path !== "" && !path.includes("/dist/"))
    .filter((path) => /\bparseArgs\b[^;]*from "node:util"/.test(readFileSync(resolve(ROOT, path), "utf8")));
  expect(callers).toEqual(["tools/kit/src/args.ts"]);
});
