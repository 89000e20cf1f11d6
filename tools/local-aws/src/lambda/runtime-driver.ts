/**
 * Drives one runtime through the RuntimeApi the way a caller awaits an invoke: each invoke() is a promise
 * of the runtime's answer. The stand-in base image's emulator (:8080 invocations) and the image tests use
 * it; the Lambda stand-in's sandboxes answer RuntimeEvents themselves (timeouts, logs).
 */
import { randomUUID } from "node:crypto";
import { RuntimeApi, type RuntimeEvents } from "./runtime-api.js";

export type InvokeResult =
  | { kind: "response"; requestId: string; body: string }
  | { kind: "error"; requestId: string; errorType: string; body: string }
  | { kind: "init-error"; requestId: string; errorType: string; body: string };

export interface InvokeOptions {
  requestId?: string;
  functionArn?: string;
  traceId?: string;
  timeoutMs?: number;
}

const DEFAULT_ARN = "arn:aws:lambda:us-east-1:012345678912:function:test_function";
const DEFAULT_TIMEOUT_MS = 300_000;
/**
 * The error type when the runtime sent no Lambda-Runtime-Function-Error-Type: the value the examples of
 * https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html send ("Lambda accepts any string").
 */
const DEFAULT_ERROR_TYPE = "Unhandled";

export class RuntimeDriver {
  private readonly api = new RuntimeApi(this.events());
  private readonly pending = new Map<string, (result: InvokeResult) => void>();
  private readonly initErrorListeners: Array<(result: InvokeResult) => void> = [];
  /** Resolves at the runtime's first GET /next: its init finished. */
  readonly firstPoll: Promise<void>;
  private markPolled: () => void = () => {};

  constructor() {
    this.firstPoll = new Promise((resolve) => (this.markPolled = resolve));
  }

  /** Returns host:port, the value for AWS_LAMBDA_RUNTIME_API. */
  listen(port = 0, host = "127.0.0.1"): Promise<string> {
    return this.api.listen(port, host);
  }

  get address(): string {
    return this.api.address;
  }

  invoke(payload: string, options: InvokeOptions = {}): Promise<InvokeResult> {
    const requestId = options.requestId ?? randomUUID();
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      this.api.dispatch({
        requestId,
        payload,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        functionArn: options.functionArn ?? DEFAULT_ARN,
        traceId: options.traceId,
      });
    });
  }

  /** Called with the runtime's init error (POST /runtime/init/error). */
  onInitError(listener: (result: InvokeResult) => void): void {
    this.initErrorListeners.push(listener);
  }

  /** Fails every queued and in-flight invocation, e.g. when the runtime process died. */
  failAll(errorType: string, message: string): void {
    const body = JSON.stringify({ errorType, errorMessage: message });
    this.settleAll((requestId) => ({ kind: "error", requestId, errorType, body }));
  }

  close(): Promise<void> {
    return this.api.close();
  }

  private events(): RuntimeEvents {
    return {
      onNext: () => this.markPolled(),
      onDispatched: () => {},
      onResponse: (requestId, body) =>
        this.settle({ kind: "response", requestId, body: body.toString("utf8") }),
      onError: (requestId, body, errorType) =>
        this.settle({
          kind: "error",
          requestId,
          errorType: errorType ?? DEFAULT_ERROR_TYPE,
          body: body.toString("utf8"),
        }),
      onInitError: (body, errorType) => {
        const result: InvokeResult = {
          kind: "init-error",
          requestId: "",
          errorType: errorType ?? DEFAULT_ERROR_TYPE,
          body: body.toString("utf8"),
        };
        // "Non-recoverable initialization error. Runtime should exit after reporting the error. Error will
        // be served in response to the first invoke." (runtime-api.zip, POST /runtime/init/error)
        for (const listener of this.initErrorListeners) listener(result);
        this.settleAll((requestId) => ({ ...result, requestId }));
      },
    };
  }

  private settle(result: InvokeResult): void {
    this.pending.get(result.requestId)?.(result);
    this.pending.delete(result.requestId);
  }

  private settleAll(resultFor: (requestId: string) => InvokeResult): void {
    this.api.clear();
    for (const [requestId, resolve] of [...this.pending]) resolve(resultFor(requestId));
    this.pending.clear();
  }
}
