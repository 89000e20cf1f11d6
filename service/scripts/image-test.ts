/**
 * npm run image:test -- --image <ref>
 * Tests the built image from the inside and through the Lambda Runtime API:
 *  1. its configuration (CMD app.handler, linux/amd64, the model digest label = the recorded digest);
 *  2. the service's handler test suite run by the image's own node against the image's bundle,
 *     node_modules and model (only the test files and the test runner are mounted, read-only);
 *  3. a smoke invocation: the container started the way Lambda starts it (AWS_LAMBDA_RUNTIME_API set)
 *     answers a prediction from the model the image holds; a tampered digest makes its init fail;
 *  4. the emulator path (no AWS_LAMBDA_RUNTIME_API): POST …/functions/function/invocations on :8080.
 * Prints a JSON summary; exits non-zero on any failure.
 */
import { resolve } from "node:path";
import { EXIT_USAGE, parseOptions, UsageError } from "@textcat/kit/args";
import { exec, run } from "@textcat/kit/process";
import { smokeThroughEmulator, smokeThroughRuntimeApi, tamperedInitFails } from "./image-smoke.js";

const REPO_ROOT = resolve(import.meta.dirname, "../..");
const TEST_ROOT = "/opt/textcat-test";

export interface ImageFacts {
  cmd: string[];
  os: string;
  architecture: string;
  modelSha256Label: string;
  recordedModelSha256: string;
  sizeBytes: number;
}

export async function inspectImage(image: string): Promise<ImageFacts> {
  const raw = await run("docker", ["image", "inspect", image], { quiet: true });
  const [info] = JSON.parse(raw) as Array<{
    Config: { Cmd: string[] | null; Labels: Record<string, string> | null };
    Os: string;
    Architecture: string;
    Size: number;
  }>;
  if (info === undefined) throw new Error(`no image ${image}`);
  const recorded = await run(
    "docker",
    ["run", "--rm", "--network", "none", "--entrypoint", "cat", image, "/var/task/model.sha256"],
    { quiet: true },
  );
  return {
    cmd: info.Config.Cmd ?? [],
    os: info.Os,
    architecture: info.Architecture,
    modelSha256Label: info.Config.Labels?.["textcat.model.sha256"] ?? "",
    recordedModelSha256: recorded.trim().split(/\s+/)[0] ?? "",
    sizeBytes: info.Size,
  };
}

function checkFacts(facts: ImageFacts): string[] {
  const problems: string[] = [];
  if (JSON.stringify(facts.cmd) !== JSON.stringify(["app.handler"]))
    problems.push(`CMD is ${JSON.stringify(facts.cmd)}, not ["app.handler"]`);
  if (facts.os !== "linux" || facts.architecture !== "amd64")
    problems.push(`platform is ${facts.os}/${facts.architecture}, not linux/amd64`);
  if (!/^[0-9a-f]{64}$/.test(facts.recordedModelSha256))
    problems.push("/var/task/model.sha256 holds no digest");
  if (facts.modelSha256Label !== facts.recordedModelSha256) {
    problems.push(
      `label textcat.model.sha256 (${facts.modelSha256Label}) differs from /var/task/model.sha256 (${facts.recordedModelSha256})`,
    );
  }
  return problems;
}

/** The handler suite, run by the image's node on the image's code; only tests and vitest are mounted. */
export async function runSuiteInImage(image: string): Promise<{ passed: boolean; output: string }> {
  const result = await exec("docker", [
    "run",
    "--rm",
    "--network",
    "none",
    "--entrypoint",
    "node",
    "-v",
    `${resolve(REPO_ROOT, "node_modules")}:${TEST_ROOT}/node_modules:ro`,
    "-v",
    `${resolve(REPO_ROOT, "service/test")}:${TEST_ROOT}/service/test:ro`,
    "-w",
    TEST_ROOT,
    "-e",
    "SERVICE_ENTRY=/var/task/app.mjs",
    "-e",
    "HOME=/tmp",
    image,
    `${TEST_ROOT}/node_modules/vitest/vitest.mjs`,
    "run",
    "service/test/handler",
    "--root",
    TEST_ROOT,
    "--reporter",
    "dot",
    "--testTimeout",
    "180000",
  ]);
  return { passed: result.code === 0, output: result.stdout + result.stderr };
}

export interface ImageTestReport {
  image: string;
  facts: ImageFacts;
  problems: string[];
  suitePassed: boolean;
  firstAnswerMs: number;
  tamperedInitError: string;
  emulatorAnswered: boolean;
}

export async function testImage(image: string): Promise<ImageTestReport> {
  const facts = await inspectImage(image);
  const problems = checkFacts(facts);
  const suite = await runSuiteInImage(image);
  if (!suite.passed)
    problems.push(
      `the test suite failed inside the image:\n${suite.output.split("\n").slice(-40).join("\n")}`,
    );
  const smoke = await smokeThroughRuntimeApi(image, facts.recordedModelSha256);
  problems.push(...smoke.problems);
  const tampered = await tamperedInitFails(image);
  problems.push(...tampered.problems);
  const emulator = await smokeThroughEmulator(image, facts.recordedModelSha256);
  problems.push(...emulator.problems);
  return {
    image,
    facts,
    problems,
    suitePassed: suite.passed,
    firstAnswerMs: smoke.firstAnswerMs,
    tamperedInitError: tampered.errorType,
    emulatorAnswered: emulator.problems.length === 0,
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), ["image"] as const);
  if (options.image === undefined) throw new UsageError("--image <ref> is required");
  const report = await testImage(options.image);
  console.log(JSON.stringify(report, null, 2));
  if (report.problems.length > 0) {
    console.error(`image:test: ${report.problems.length} problem(s):\n- ${report.problems.join("\n- ")}`);
    process.exitCode = 1;
  } else {
    console.error(`image:test: ${options.image} passed (first answer ${report.firstAnswerMs.toFixed(0)} ms)`);
  }
}

if (process.argv[1] === import.meta.filename) {
  main().catch((error: unknown) => {
    console.error(`image:test: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = error instanceof UsageError ? EXIT_USAGE : 1;
  });
}
