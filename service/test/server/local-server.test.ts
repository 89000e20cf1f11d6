import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createLocalServer } from "../../src/local-server.js";
import { createTestService } from "../support/service-under-test.js";

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  const service = await createTestService({ ALLOWED_ORIGINS: "http://localhost:5173" });
  server = createLocalServer(service.handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

test("POST /predict answers like the Lambda behind API Gateway", async () => {
  const response = await postJson("/predict?top=2", { text: "the rocket reached orbit" });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/json");
  expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  const body = (await response.json()) as {
    response: string;
    label: string;
    scores: unknown[];
    request: unknown;
  };
  expect(body.response).toBe(body.label);
  expect(body.scores).toHaveLength(2);
  expect(body.request).toEqual({ text: "the rocket reached orbit" });
});

test("errors, health and preflight come through unchanged", async () => {
  expect((await postJson("/predict", { nope: 1 })).status).toBe(400);
  expect(
    (
      await fetch(`${baseUrl}/predict`, {
        method: "POST",
        body: "text=hi",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      })
    ).status,
  ).toBe(415);
  expect((await fetch(`${baseUrl}/nothing`)).status).toBe(404);
  expect((await fetch(`${baseUrl}/predict`)).status).toBe(405);
  const health = await fetch(`${baseUrl}/health`);
  expect(health.status).toBe(200);
  const preflight = await fetch(`${baseUrl}/predict`, {
    method: "OPTIONS",
    headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
});

test("a body over the limit is refused with 413", async () => {
  const response = await postJson("/predict", { text: "x".repeat(1100 * 1024) });
  expect(response.status).toBe(413);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
});

test("200 concurrent requests all succeed", async () => {
  const requests = Array.from({ length: 200 }, (_, i) => {
    if (i % 10 === 0) return fetch(`${baseUrl}/health`);
    if (i % 10 === 1) return postJson("/predict", { texts: [`batch text ${i}`, "oven recipe", "goal"] });
    return postJson(i % 2 === 0 ? "/predict" : "/", {
      text: `concurrent request number ${i} about the team`,
    });
  });
  const responses = await Promise.all(requests);
  const statuses = responses.map((response) => response.status);
  expect(statuses.filter((status) => status !== 200)).toEqual([]);
  const bodies = (await Promise.all(responses.map((response) => response.json()))) as Array<
    Record<string, unknown>
  >;
  expect(bodies.filter((body) => "error" in body)).toEqual([]);
  expect(bodies.filter((body) => "label" in body)).toHaveLength(160);
});
