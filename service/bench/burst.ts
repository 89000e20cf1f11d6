/**
 * npm run bench:burst -- --image <ref> [--requests 200] [--concurrency 16] [--data <20news archive>]
 * A bounded burst through the alias `live` on the local Lambda stand-in, which starts containers as
 * needed: how many requests met a cold container (their REPORT line has an Init Duration), p50/p99
 * latency and errors. Run twice on the same image: on demand, then with provisioned concurrency equal to
 * the burst's concurrency (where no request may meet a cold container). Exits 1 on any error or a cold
 * request in the provisioned run.
 */
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand,
  PutProvisionedConcurrencyConfigCommand,
  waitUntilFunctionActiveV2,
  waitUntilPublishedVersionActive,
} from "@aws-sdk/client-lambda";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { readArchive } from "@textcat/model/archive";
import { startLocalAws, type LocalAws } from "@textcat/local-aws";
import { initDurationOf, predictEvent } from "@textcat/pipeline-story/classify";
import { EXIT_USAGE, parseOptions, UsageError } from "@textcat/kit/args";
import { run } from "@textcat/kit/process";
import { percentile, round } from "./stats.js";

const REPO_ROOT = resolve(import.meta.dirname, "../..");
const DEFAULT_ARCHIVE = resolve(REPO_ROOT, "../shared/data/20news-bydate.tar.gz");
const REGISTRY = "127.0.0.1:5000";

interface BurstResult {
  phase: string;
  provisioned: number;
  readyAfterMs: number | undefined;
  requests: number;
  concurrency: number;
  coldRequests: number;
  errors: number;
  firstError: string | undefined;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  wallSeconds: number;
  containers: number;
}

/** The first test posts of the archive (as a user would send them), or short stand-in texts without it. */
async function texts(archive: string, count: number): Promise<string[]> {
  if (!existsSync(archive)) {
    return Array.from({ length: count }, (_, i) => `Request ${i}: the rocket reached orbit around Mars`);
  }
  const source = await readArchive(archive, "latin1");
  const docs = source.kind === "split" ? source.test : source.docs;
  return Array.from({ length: count }, (_, i) => docs[i % docs.length]?.text ?? "");
}

/** Tags the image into the local registry under a name of its own and returns `repo@digest`. */
async function pushed(image: string): Promise<{ uri: string; repository: string }> {
  const repository = `${REGISTRY}/textcat-burst-${crypto.randomUUID().slice(0, 8)}`;
  await run("docker", ["tag", image, `${repository}:bench`], { quiet: true });
  const output = await run("docker", ["push", `${repository}:bench`], { quiet: true });
  const digest = /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1];
  if (!digest) throw new Error(`docker push printed no digest: ${output.slice(-300)}`);
  return { uri: `${repository}@${digest}`, repository };
}

async function deployLive(lambda: LambdaClient, name: string, imageUri: string): Promise<string> {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: "arn:aws:iam::000000000000:role/textcat-local",
      PackageType: "Image",
      Code: { ImageUri: imageUri },
      Timeout: 30,
      MemorySize: 1024,
    }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 300 }, { FunctionName: name });
  const { Version } = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
  // "Lambda does not invoke a function during pending state", and a new version is Pending until Lambda
  // has prepared it (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html), as promote waits.
  await waitUntilPublishedVersionActive(
    { client: lambda, maxWaitTime: 300, minDelay: 1, maxDelay: 2 },
    { FunctionName: name, Qualifier: Version },
  );
  await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: "live", FunctionVersion: Version }));
  return Version ?? "";
}

/** PutProvisionedConcurrencyConfig and poll until READY; the time it took. */
async function provision(
  lambda: LambdaClient,
  name: string,
  version: string,
  count: number,
): Promise<number> {
  const started = performance.now();
  await lambda.send(
    new PutProvisionedConcurrencyConfigCommand({
      FunctionName: name,
      Qualifier: version,
      ProvisionedConcurrentExecutions: count,
    }),
  );
  for (;;) {
    const config = await lambda.send(
      new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: version }),
    );
    if (config.Status === "READY") return performance.now() - started;
    if (config.Status === "FAILED") throw new Error(`provisioned concurrency FAILED: ${config.StatusReason}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function burst(
  lambda: LambdaClient,
  name: string,
  bodies: string[],
  concurrency: number,
): Promise<Omit<BurstResult, "phase" | "provisioned" | "readyAfterMs" | "containers">> {
  const latencies: number[] = [];
  let cold = 0;
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      const text = bodies[next++] ?? "";
      const sent = performance.now();
      try {
        const result = await lambda.send(
          new InvokeCommand({
            FunctionName: name,
            Qualifier: "live",
            LogType: "Tail",
            Payload: Buffer.from(JSON.stringify(predictEvent(text))),
          }),
        );
        latencies.push(performance.now() - sent);
        const payload = Buffer.from(result.Payload ?? new Uint8Array()).toString("utf8");
        const status = (JSON.parse(payload) as { statusCode?: number }).statusCode;
        if (result.FunctionError || status !== 200) throw new Error(payload.slice(0, 200));
        if (initDurationOf(Buffer.from(result.LogResult ?? "", "base64").toString("utf8")) !== undefined)
          cold += 1;
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return {
    requests: bodies.length,
    concurrency,
    coldRequests: cold,
    errors,
    firstError,
    p50Ms: round(percentile(latencies, 50), 1),
    p99Ms: round(percentile(latencies, 99), 1),
    maxMs: round(Math.max(...latencies), 1),
    wallSeconds: round((performance.now() - started) / 1000, 1),
  };
}

async function phase(
  aws: LocalAws,
  lambda: LambdaClient,
  imageUri: string,
  bodies: string[],
  concurrency: number,
  provisioned: number,
): Promise<BurstResult> {
  const name = `burst-${provisioned > 0 ? "provisioned" : "on-demand"}`;
  const version = await deployLive(lambda, name, imageUri);
  const readyAfterMs = provisioned > 0 ? await provision(lambda, name, version, provisioned) : undefined;
  const measured = await burst(lambda, name, bodies, concurrency);
  const containers = aws.invoker.warmCount(`${name}:`);
  await lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
  return {
    phase: provisioned > 0 ? `provisioned concurrency ${provisioned}` : "on demand",
    provisioned,
    readyAfterMs: readyAfterMs === undefined ? undefined : round(readyAfterMs, 0),
    containers,
    ...measured,
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), ["image", "requests", "concurrency", "data"] as const);
  if (!options.image) throw new UsageError("--image <ref> is required (an image:build result)");
  const requests = Number(options.requests ?? 200);
  const concurrency = Number(options.concurrency ?? 16);
  if (!Number.isInteger(requests) || requests < 1 || !Number.isInteger(concurrency) || concurrency < 1) {
    throw new UsageError("--requests and --concurrency must be positive integers");
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const loadAtStart = loadavg().map((v) => round(v, 2));
  await run("bash", [resolve(REPO_ROOT, "scripts/ensure-services.sh")], { quiet: true });
  const archive = resolve(options.data ?? DEFAULT_ARCHIVE);
  const bodies = await texts(archive, requests);
  const image = await pushed(options.image);
  const aws = await startLocalAws({ maxSandboxesPerVersion: concurrency });
  const lambda = new LambdaClient({
    endpoint: aws.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  const results: BurstResult[] = [];
  try {
    results.push(await phase(aws, lambda, image.uri, bodies, concurrency, 0));
    results.push(await phase(aws, lambda, image.uri, bodies, concurrency, concurrency));
  } finally {
    await aws.close();
    await run("docker", ["rmi", `${image.repository}:bench`], { quiet: true }).catch(() => undefined);
  }
  const header = ["phase", "cold requests", "errors", "p50 ms", "p99 ms", "max ms", "wall s", "READY after"];
  const rows = results.map((r) => [
    r.phase,
    `${r.coldRequests}/${r.requests}`,
    String(r.errors),
    String(r.p50Ms),
    String(r.p99Ms),
    String(r.maxMs),
    String(r.wallSeconds),
    r.readyAfterMs === undefined ? "" : `${r.readyAfterMs} ms`,
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ");
  console.log(
    `burst: ${requests} requests, ${concurrency} at a time, through live on the local Lambda (${options.image})\n` +
      `texts: ${existsSync(archive) ? `the first ${requests} test posts of ${archive}` : "short stand-in texts (no archive)"}\n` +
      `load average (1/5/15 min): start ${loadAtStart.join(" ")}, end ${loadavg()
        .map((v) => round(v, 2))
        .join(" ")}\n\n${[line(header), ...rows.map(line)].join("\n")}\n`,
  );
  console.log(JSON.stringify(results, null, 2));
  const warm = results.find((r) => r.provisioned > 0);
  if (results.some((r) => r.errors > 0) || (warm?.coldRequests ?? 0) > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`bench:burst: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof UsageError ? EXIT_USAGE : 1;
});
