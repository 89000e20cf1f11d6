/**
 * Smoke checks of a running container: through the Lambda Runtime API (as Lambda runs it) and through
 * the emulator on :8080 (as `docker run` + curl does).
 */
import { exec, run } from "@textcat/kit/process";
import { RuntimeDriver } from "@textcat/local-aws/runtime-driver";

const PREDICT_EVENT = {
  version: "2.0",
  routeKey: "$default",
  rawPath: "/predict",
  rawQueryString: "",
  headers: { "content-type": "application/json" },
  requestContext: { http: { method: "POST", path: "/predict" }, requestId: "smoke", stage: "$default" },
  body: JSON.stringify({ text: "The rocket reached orbit and the team cheered" }),
  isBase64Encoded: false,
};

interface PredictAnswer {
  statusCode: number;
  body: string;
}

function checkAnswer(raw: string, expectedSha256: string, where: string): string[] {
  let answer: PredictAnswer;
  let body: { label?: string; model?: { sha256?: string } };
  try {
    answer = JSON.parse(raw) as PredictAnswer;
    body = JSON.parse(answer.body) as typeof body;
  } catch {
    return [`${where}: the answer is not an HTTP API response with a JSON body: ${raw.slice(0, 300)}`];
  }
  const problems: string[] = [];
  if (answer.statusCode !== 200)
    problems.push(`${where}: status ${answer.statusCode}: ${answer.body.slice(0, 300)}`);
  if (typeof body.label !== "string" || body.label === "")
    problems.push(`${where}: no label in ${answer.body.slice(0, 300)}`);
  if (body.model?.sha256 !== expectedSha256) {
    problems.push(
      `${where}: answered with model ${body.model?.sha256}, but the image holds ${expectedSha256}`,
    );
  }
  return problems;
}

/** `docker run -d`: the container's id once it runs, or a CommandError with docker's stderr. */
function startContainer(args: string[]): { id: Promise<string> } {
  return { id: run("docker", ["run", "-d", ...args], { quiet: true }).then((stdout) => stdout.trim()) };
}

async function removeContainer(id: string | undefined): Promise<void> {
  if (id) await exec("docker", ["rm", "-f", id], { quiet: true });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)),
  );
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Starts a fresh container against a local Runtime API and times its first answer. */
export async function smokeThroughRuntimeApi(
  image: string,
  expectedSha256: string,
): Promise<{ firstAnswerMs: number; problems: string[] }> {
  const runtimeApi = new RuntimeDriver();
  const address = await runtimeApi.listen(0, "127.0.0.1");
  let containerId: string | undefined;
  try {
    const started = performance.now();
    const pending = runtimeApi.invoke(JSON.stringify(PREDICT_EVENT));
    const container = startContainer(["--network", "host", "-e", `AWS_LAMBDA_RUNTIME_API=${address}`, image]);
    const first = await withTimeout(pending, 60_000, "Runtime API smoke");
    const firstAnswerMs = performance.now() - started;
    containerId = await container.id;
    if (first.kind !== "response")
      return { firstAnswerMs, problems: [`Runtime API smoke: ${first.kind} ${first.body.slice(0, 300)}`] };
    const problems = checkAnswer(first.body, expectedSha256, "Runtime API smoke");
    const malformed = await withTimeout(
      runtimeApi.invoke(JSON.stringify({ ...PREDICT_EVENT, body: "{" })),
      10_000,
      "malformed smoke",
    );
    if (malformed.kind !== "response" || (JSON.parse(malformed.body) as PredictAnswer).statusCode !== 400) {
      problems.push(`Runtime API smoke: invalid JSON did not answer 400: ${malformed.body.slice(0, 300)}`);
    }
    return { firstAnswerMs, problems };
  } finally {
    await removeContainer(containerId);
    await runtimeApi.close();
  }
}

/** The same container with a wrong recorded digest must report an init error, never serve. */
export async function tamperedInitFails(image: string): Promise<{ errorType: string; problems: string[] }> {
  const runtimeApi = new RuntimeDriver();
  const address = await runtimeApi.listen(0, "127.0.0.1");
  let containerId: string | undefined;
  try {
    const pending = runtimeApi.invoke(JSON.stringify(PREDICT_EVENT));
    const container = startContainer([
      "--network",
      "host",
      "-e",
      `AWS_LAMBDA_RUNTIME_API=${address}`,
      "-e",
      `MODEL_SHA256=${"0".repeat(64)}`,
      image,
    ]);
    const result = await withTimeout(pending, 60_000, "tampered-digest smoke");
    containerId = await container.id;
    if (result.kind !== "init-error" || !result.body.includes("integrity check failed")) {
      return {
        errorType: "",
        problems: [`a wrong model digest did not fail the init: ${result.kind} ${result.body.slice(0, 300)}`],
      };
    }
    return { errorType: result.errorType, problems: [] };
  } finally {
    await removeContainer(containerId);
    await runtimeApi.close();
  }
}

/** `docker run` without AWS_LAMBDA_RUNTIME_API serves the emulator's invoke endpoint on :8080. */
export async function smokeThroughEmulator(
  image: string,
  expectedSha256: string,
): Promise<{ problems: string[] }> {
  let containerId: string | undefined;
  const script = `
    const url = "http://127.0.0.1:8080/2015-03-31/functions/function/invocations";
    for (let i = 0; i < 100; i++) {
      try {
        const r = await fetch(url, { method: "POST", body: process.argv[1] });
        process.stdout.write(await r.text());
        process.exit(0);
      } catch { await new Promise((ok) => setTimeout(ok, 100)); }
    }
    process.exit(1);`;
  try {
    containerId = await startContainer(["--network", "none", image]).id;
    const result = await exec(
      "docker",
      ["exec", containerId, "node", "--input-type=module", "-e", script, JSON.stringify(PREDICT_EVENT)],
      { quiet: true },
    );
    if (result.code !== 0)
      return { problems: [`emulator smoke: no answer on :8080 (${result.stderr.trim()})`] };
    return { problems: checkAnswer(result.stdout, expectedSha256, "emulator smoke") };
  } finally {
    await removeContainer(containerId);
  }
}
