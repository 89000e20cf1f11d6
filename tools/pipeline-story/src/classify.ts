import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";

export interface Classification {
  label: string;
  modelSha256: string;
  executedVersion: string;
  /** The REPORT line's Init Duration: set only when this request met a container that was not initialized yet. */
  initDurationMs: number | undefined;
}

/** An HTTP API (API Gateway v2) event for POST /predict, as API Gateway would send it. */
export function predictEvent(text: string): Record<string, unknown> {
  const now = new Date();
  return {
    version: "2.0",
    routeKey: "POST /predict",
    rawPath: "/predict",
    rawQueryString: "",
    headers: { "content-type": "application/json", "user-agent": "pipeline-local" },
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: "local.execute-api.localhost",
      domainPrefix: "local",
      http: {
        method: "POST",
        path: "/predict",
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: "pipeline-local",
      },
      requestId: crypto.randomUUID(),
      routeKey: "POST /predict",
      stage: "$default",
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body: JSON.stringify({ text }),
    isBase64Encoded: false,
  };
}

/** Classifies one text through a qualifier (alias or version) and reads the model identity from the answer. */
export async function classify(
  lambda: LambdaClient,
  functionName: string,
  qualifier: string,
  text: string,
): Promise<Classification> {
  const result = await lambda.send(
    new InvokeCommand({
      FunctionName: functionName,
      Qualifier: qualifier,
      LogType: "Tail",
      Payload: Buffer.from(JSON.stringify(predictEvent(text))),
    }),
  );
  const payload = Buffer.from(result.Payload ?? new Uint8Array()).toString("utf8");
  if (result.FunctionError) throw new Error(`${functionName}:${qualifier} failed: ${payload.slice(0, 300)}`);
  const response = JSON.parse(payload) as { statusCode?: number; body?: string };
  if (response.statusCode !== 200 || typeof response.body !== "string") {
    throw new Error(
      `${functionName}:${qualifier} answered ${response.statusCode}: ${String(response.body).slice(0, 300)}`,
    );
  }
  const body = JSON.parse(response.body) as { label?: string; model?: { sha256?: string } };
  return {
    label: body.label ?? "",
    modelSha256: body.model?.sha256 ?? "",
    executedVersion: result.ExecutedVersion ?? "",
    initDurationMs: initDurationOf(Buffer.from(result.LogResult ?? "", "base64").toString("utf8")),
  };
}

/** "REPORT RequestId: … Init Duration: 412.3 ms" → 412.3; undefined when the REPORT line has none. */
export function initDurationOf(logTail: string): number | undefined {
  const report = logTail.split("\n").find((line) => line.startsWith("REPORT "));
  const match = /\tInit Duration: ([\d.]+) ms/.exec(report ?? "");
  return match ? Number(match[1]) : undefined;
}
