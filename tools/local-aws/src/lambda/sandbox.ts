import { errorMessage } from "@textcat/kit/errors";
import { start as startProcess, type Started } from "@textcat/kit/process";
import type { ImageConfig } from "./function-model.js";
import { removeContainers } from "./docker.js";
import { RuntimeApi, type RuntimeEvents } from "./runtime-api.js";

export interface SandboxSpec {
  /** Sandboxes are reused only for the same key: function, version and revision. */
  key: string;
  imageRef: string;
  functionName: string;
  functionArn: string;
  version: string;
  memorySize: number;
  timeoutSeconds: number;
  environment: Record<string, string>;
  imageConfig: ImageConfig;
}

export interface SandboxOptions {
  instanceLabel: string;
  region: string;
  initTimeoutMs: number;
  readOnlyRootFilesystem: boolean;
  echoLogs: boolean;
}

export interface InvocationResult {
  payload: Buffer;
  functionError?: "Unhandled";
  logTail: string;
}

interface Current {
  requestId: string;
  startedAt: number;
  logStart: number;
  timer: NodeJS.Timeout;
  resolve: (result: InvocationResult) => void;
}

const LOG_LIMIT = 256 * 1024;

/** One warm container of one function version, and the Runtime API it polls. */
export class Sandbox implements RuntimeEvents {
  state: "starting" | "idle" | "busy" | "dead" = "starting";
  readonly containerName: string;
  /** Settles when init ends: resolved at the runtime's first /next, rejected if it dies before. */
  readonly initialized: Promise<void>;
  private settleInit: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private initReported = false;
  /** Stop once the current invocation ends (its provisioned concurrency was deleted meanwhile). */
  retiring = false;
  private readonly runtime = new RuntimeApi(this);
  private process: Started["child"] | undefined;
  private current: Current | undefined;
  private initDurationMs: number | undefined;
  private readonly createdAt = Date.now();
  private logs = "";

  /** `provisioned`: started by provisioned concurrency, initialized before any invocation. */
  constructor(
    readonly spec: SandboxSpec,
    private readonly options: SandboxOptions,
    readonly provisioned = false,
  ) {
    this.initialized = new Promise<void>((resolve, reject) => {
      this.settleInit = { resolve, reject };
    });
    this.initialized.catch(() => undefined);
    const safeName = spec.functionName.replace(/[^a-zA-Z0-9_.-]/g, "-");
    this.containerName = `local-aws-${safeName}-${spec.version.replace("$", "")}-${crypto.randomUUID().slice(0, 8)}`;
  }

  async start(): Promise<void> {
    const address = await this.runtime.listen();
    const { child, exited } = startProcess("docker", this.runArguments(address));
    child.stdin?.end();
    this.process = child;
    const collect = (chunk: Buffer): void => {
      this.logs = (this.logs + chunk.toString("utf8")).slice(-LOG_LIMIT);
      if (this.options.echoLogs) process.stderr.write(`[${this.containerName}] ${chunk.toString("utf8")}`);
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    exited.then(
      ({ code, signal }) => this.onExit(signal ? null : code),
      (error: unknown) => this.onExit(null, errorMessage(error)),
    );
  }

  invoke(payload: Buffer, requestId: string, clientContext?: string): Promise<InvocationResult> {
    this.state = "busy";
    return new Promise((resolve) => {
      const limitMs = this.initDurationMs === undefined ? this.options.initTimeoutMs : this.timeoutMs();
      this.current = {
        requestId,
        startedAt: Date.now(),
        logStart: this.logs.length,
        timer: setTimeout(() => this.onTimeout(), limitMs),
        resolve,
      };
      this.runtime.dispatch({
        requestId,
        payload,
        timeoutMs: this.timeoutMs(),
        functionArn: this.spec.functionArn,
        clientContext,
      });
    });
  }

  async stop(): Promise<void> {
    if (this.state !== "dead") this.state = "dead";
    this.failInit("sandbox stopped");
    this.finish({
      payload: exitPayload(this.current?.requestId ?? "", "sandbox stopped"),
      functionError: "Unhandled",
    });
    await removeContainers([this.containerName]);
    await this.runtime.close();
  }

  onNext(): void {
    if (this.initDurationMs === undefined) this.initDurationMs = Date.now() - this.createdAt;
    this.settleInit?.resolve();
    if (this.state === "starting") this.state = "idle";
  }

  onDispatched(requestId: string): void {
    if (this.current?.requestId !== requestId) return;
    clearTimeout(this.current.timer);
    this.current.timer = setTimeout(() => this.onTimeout(), this.timeoutMs());
  }

  onResponse(requestId: string, body: Buffer): void {
    if (this.current?.requestId === requestId) this.finish({ payload: body });
  }

  onError(requestId: string, body: Buffer, errorType: string | undefined): void {
    if (this.current?.requestId !== requestId) return;
    this.finish({ payload: errorPayload(body, errorType ?? "Runtime.Unknown"), functionError: "Unhandled" });
  }

  onInitError(body: Buffer, errorType: string | undefined): void {
    this.state = "dead";
    this.failInit(`init error ${errorType ?? "Runtime.InitError"}: ${body.toString("utf8").slice(0, 500)}`);
    this.finish({
      payload: errorPayload(body, errorType ?? "Runtime.InitError"),
      functionError: "Unhandled",
    });
    void this.stop();
  }

  private onTimeout(): void {
    const requestId = this.current?.requestId ?? "";
    const seconds =
      this.initDurationMs === undefined ? this.options.initTimeoutMs / 1000 : this.spec.timeoutSeconds;
    const payload = {
      errorType: "Sandbox.Timedout",
      errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds.toFixed(2)} seconds`,
    };
    this.state = "dead";
    this.finish({ payload: Buffer.from(JSON.stringify(payload)), functionError: "Unhandled" });
    void this.stop();
  }

  private onExit(code: number | null, reason?: string): void {
    const wasDead = this.state === "dead";
    this.state = "dead";
    this.failInit(reason ?? `container exited (status ${code ?? "unknown"}) before its runtime was ready`);
    if (wasDead || !this.current) return;
    const detail = reason ?? `Runtime exited with error: exit status ${code ?? "unknown"}`;
    this.finish({ payload: exitPayload(this.current.requestId, detail), functionError: "Unhandled" });
    void this.runtime.close();
  }

  private failInit(reason: string): void {
    this.settleInit?.reject(new Error(reason));
  }

  private finish(result: Omit<InvocationResult, "logTail">): void {
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    clearTimeout(current.timer);
    if (this.state === "busy") this.state = "idle";
    current.resolve({ ...result, logTail: this.logTail(current) });
  }

  private logTail(current: Current): string {
    const id = current.requestId;
    const duration = (Date.now() - current.startedAt).toFixed(2);
    // "Init Duration: For the first request served, the amount of time it took the runtime to load the
    // function and run code outside of the handler method"
    // (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html): only the first request of an
    // on-demand environment; a provisioned one was initialized before any request reached it.
    const reportInit = !this.provisioned && !this.initReported && this.initDurationMs !== undefined;
    this.initReported ||= this.initDurationMs !== undefined;
    const init = reportInit ? `\tInit Duration: ${this.initDurationMs} ms` : "";
    const text =
      `START RequestId: ${id} Version: ${this.spec.version}\n${this.logs.slice(current.logStart)}` +
      `END RequestId: ${id}\nREPORT RequestId: ${id}\tDuration: ${duration} ms\tMemory Size: ${this.spec.memorySize} MB${init}\n`;
    return text.slice(-4096);
  }

  private timeoutMs(): number {
    return this.spec.timeoutSeconds * 1000;
  }

  private runArguments(runtimeApi: string): string[] {
    const { spec, options } = this;
    const environment: Record<string, string> = {
      ...spec.environment,
      AWS_LAMBDA_RUNTIME_API: runtimeApi,
      AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: spec.version,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.functionName}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `local/[${spec.version}]${this.containerName}`,
      // https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
      AWS_LAMBDA_INITIALIZATION_TYPE: this.provisioned ? "provisioned-concurrency" : "on-demand",
      AWS_REGION: options.region,
      AWS_DEFAULT_REGION: options.region,
      AWS_ACCESS_KEY_ID: "local-aws-sandbox",
      AWS_SECRET_ACCESS_KEY: "local-aws-sandbox",
      AWS_SESSION_TOKEN: "local-aws-sandbox",
      TZ: ":UTC",
    };
    const args = [
      "run",
      "--rm",
      "--name",
      this.containerName,
      "--label",
      options.instanceLabel,
      "--network",
      "host",
    ];
    if (options.readOnlyRootFilesystem) args.push("--read-only", "--tmpfs", "/tmp:rw,exec,size=512m");
    for (const [name, value] of Object.entries(environment)) args.push("--env", `${name}=${value}`);
    const [entrypoint, ...entrypointArgs] = spec.imageConfig.EntryPoint ?? [];
    if (entrypoint !== undefined) args.push("--entrypoint", entrypoint);
    if (spec.imageConfig.WorkingDirectory) args.push("--workdir", spec.imageConfig.WorkingDirectory);
    args.push(spec.imageRef, ...entrypointArgs, ...(spec.imageConfig.Command ?? []));
    return args;
  }
}

function errorPayload(body: Buffer, errorType: string): Buffer {
  try {
    JSON.parse(body.toString("utf8"));
    return body;
  } catch {
    return Buffer.from(JSON.stringify({ errorType, errorMessage: body.toString("utf8").slice(0, 4096) }));
  }
}

function exitPayload(requestId: string, detail: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      errorType: "Runtime.ExitError",
      errorMessage: `RequestId: ${requestId} Error: ${detail}`,
    }),
  );
}
