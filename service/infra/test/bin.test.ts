import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { exec } from "@textcat/kit/process";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

describe("bin/app.ts (npm run infra:synth)", () => {
  it("stops on bad context with one line naming the key, exit 2, no stack trace", async () => {
    const result = await exec(
      path.join(root, "node_modules/.bin/tsx"),
      ["service/infra/bin/app.ts", "-c", "stage=qa", "-c", "github=example-org/textcat-lambda"],
      { cwd: root, env: withoutCdkOutdir(), quiet: true },
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('infra: context stage must be one of dev, prod, got "qa"');
    expect(result.stdout).toBe("");
  });

  it("stops on a malformed argument with one line, exit 2", async () => {
    const result = await exec(
      path.join(root, "node_modules/.bin/tsx"),
      ["service/infra/bin/app.ts", "--stage", "dev"],
      { cwd: root, env: withoutCdkOutdir(), quiet: true },
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^infra: Unknown option '--stage'[^\n]* \(use -c key=value\)$/);
    expect(result.stdout).toBe("");
  });
});

/** As `npm run infra:synth` runs it: not under the CDK CLI. */
function withoutCdkOutdir(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.CDK_OUTDIR;
  return env;
}
