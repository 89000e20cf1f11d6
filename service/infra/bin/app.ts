/**
 * CDK app entry. `npm run infra:synth` runs it directly (offline: no CLI, no AWS, no Docker) and writes the
 * CloudFormation templates to service/infra/cdk.out; the CDK CLI runs it through cdk.json for deploy/diff.
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { App } from "aws-cdk-lib";
import { EXIT_USAGE, UsageError } from "@textcat/kit/args";
import { addTextcatStacks, parseContextArgs } from "../src/app.js";
import { InfraConfigError } from "../src/config.js";

const DEFAULT_OUTDIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "cdk.out");

function main(): void {
  const started = performance.now();
  const runByCli = Boolean(process.env.CDK_OUTDIR);
  const app = new App({
    outdir: runByCli ? undefined : DEFAULT_OUTDIR,
    context: parseContextArgs(process.argv.slice(2)),
  });
  const stacks = addTextcatStacks(app);
  const assembly = app.synth();
  if (runByCli) return;
  for (const stack of stacks) {
    const template = path.relative(process.cwd(), path.join(assembly.directory, stack.templateFile));
    console.log(`${stack.stackName}: ${template}`);
  }
  console.log(`synthesized ${stacks.length} stack(s) in ${Math.round(performance.now() - started)} ms`);
}

try {
  main();
} catch (error) {
  console.error(`infra: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof UsageError || error instanceof InfraConfigError ? EXIT_USAGE : 1;
}
