import { parseCommandLine, UsageError } from "@textcat/kit/args";
import { App } from "aws-cdk-lib";
import { readInfraConfig, type ContextReader } from "./config.js";
import { TextcatStack } from "./textcat-stack.js";

/**
 * Adds one stack per stage named by context `stage` (one stage, or a comma-separated list to synthesize
 * several). Throws InfraConfigError on bad context.
 */
export function addTextcatStacks(app: App): TextcatStack[] {
  const context: ContextReader = (key) => app.node.tryGetContext(key);
  const stageContext = context("stage");
  const stages = typeof stageContext === "string" ? stageContext.split(",") : [stageContext];
  return stages.map((stage) => {
    const config = readInfraConfig((key) => (key === "stage" ? stage : context(key)));
    const account = config.account ?? process.env.CDK_DEFAULT_ACCOUNT;
    const region = config.region ?? process.env.CDK_DEFAULT_REGION;
    return new TextcatStack(app, config, { env: { account, region } });
  });
}

/** `-c key=value` / `--context key=value` pairs, as the CDK CLI accepts them; later pairs win. */
export function parseContextArgs(args: string[]): Record<string, string> {
  const pairs =
    parseCommandLine(args, { context: { type: "string", short: "c", multiple: true } }, "use -c key=value")
      .context ?? [];
  const context: Record<string, string> = {};
  for (const pair of pairs) {
    const separator = pair.indexOf("=");
    if (separator <= 0) throw new UsageError(`-c needs key=value, got "${pair}"`);
    context[pair.slice(0, separator)] = pair.slice(separator + 1);
  }
  return context;
}
