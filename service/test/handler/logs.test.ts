import { expect, test } from "vitest";
import { httpV2Event, json } from "../support/events.js";
import { createTestService } from "../support/service-under-test.js";
import { captureStdout } from "../support/stdout.js";

const SECRET = "confidential-marker-7f3a9c";

function requestLines(output: string): Array<Record<string, unknown>> {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.message === "request");
}

test("one structured log line per request, with no request text", async () => {
  const service = await createTestService({ LOG_REQUEST_TEXT: "" });
  const output = await captureStdout(async () => {
    await service.handler(
      httpV2Event({ method: "POST", path: "/predict", body: json({ text: `about ${SECRET}` }) }),
    );
    await service.handler(
      httpV2Event({ method: "POST", path: "/predict", body: json({ texts: [SECRET, "b"] }) }),
    );
    await service.handler(httpV2Event({ method: "POST", path: "/predict", body: `{"text": "${SECRET}` }));
  });
  expect(output).not.toContain(SECRET);
  const lines = requestLines(output);
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatchObject({
    level: "INFO",
    requestId: "http-request-id",
    path: "/predict",
    method: "POST",
    status: 200,
    label: expect.any(String),
    modelSha256: service.model.identity.sha256,
    latencyMs: expect.any(Number),
  });
  expect(lines[1]).toMatchObject({ status: 200, batchSize: 2 });
  expect(lines[2]).toMatchObject({ status: 400, errorCode: "invalid_json" });
});

test("embedded metrics for count, latency and label", async () => {
  const service = await createTestService();
  const output = await captureStdout(() => service.handler({ text: "metrics please" }));
  const metrics = output
    .split("\n")
    .filter((line) => line.startsWith('{"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(metrics.find((m) => "Requests" in m)).toMatchObject({
    Requests: 1,
    Latency: expect.any(Number),
    Predictions: 1,
  });
  expect(metrics.find((m) => "PredictionsByLabel" in m)).toMatchObject({
    label: expect.any(String),
    PredictionsByLabel: 1,
  });
});

test("LOG_REQUEST_TEXT=true puts the texts in the log line (debugging only)", async () => {
  const service = await createTestService({ LOG_REQUEST_TEXT: "true" });
  const output = await captureStdout(() => service.handler({ text: SECRET }));
  expect(requestLines(output)[0]?.texts).toEqual([SECRET]);
});
