import { beforeAll, describe, expect, test } from "vitest";
import type { Service } from "../../src/service.js";
import { EVENT_BUILDERS, httpV2Event, json } from "../support/events.js";
import { bodyOf, createTestService, statusOf } from "../support/service-under-test.js";

let service: Service;
let labels: string[];
const TEXTS = [
  "The rocket reached orbit after launch",
  "Bake the bread in a hot oven",
  "The team scored a late goal",
];

beforeAll(async () => {
  service = await createTestService();
  labels = [...service.model.labels];
});

interface Scored {
  label: string;
  scores: Array<{ label: string; score: number }>;
}

function expectWellFormedPrediction(result: Scored, topK: number): void {
  expect(labels).toContain(result.label);
  expect(result.scores).toHaveLength(Math.min(topK, labels.length));
  expect(result.scores[0]?.label).toBe(result.label);
  const values = result.scores.map((s) => s.score);
  expect(values).toEqual([...values].sort((a, b) => b - a));
  for (const score of result.scores) {
    expect(labels).toContain(score.label);
    expect(score.score).toBeGreaterThanOrEqual(0);
    expect(score.score).toBeLessThanOrEqual(1);
  }
}

describe.each(Object.entries(EVENT_BUILDERS))("POST through a %s event", (_name, build) => {
  test.each(["/v1/predict", "/predict", "/", "/predict/"])(
    "%s answers the seed's shape plus label, scores and model",
    async (path) => {
      const request = { text: TEXTS[0] };
      const result = await service.handler(build({ method: "POST", path, body: json(request) }));
      expect(statusOf(result)).toBe(200);
      const body = bodyOf(result) as unknown as Scored & {
        response: string;
        request: unknown;
        model: Record<string, unknown>;
      };
      expect(body.response).toBe(body.label);
      expect(body.request).toEqual(request);
      expectWellFormedPrediction(body, 3);
      expect(body.model).toEqual(service.model.identity);
      expect(body.model.sha256).toMatch(/^[0-9a-f]{64}$/);
    },
  );

  test("a base64-encoded body is decoded", async () => {
    const text = "Ünïcödé text — 東京 🚀";
    const result = await service.handler(
      build({ method: "POST", path: "/predict", body: json({ text }), base64: true }),
    );
    expect(statusOf(result)).toBe(200);
    expect(bodyOf(result).request).toEqual({ text });
  });
});

test("an HTTP API event on a named stage routes without the stage prefix", async () => {
  const result = await service.handler(
    httpV2Event({ method: "POST", path: "/predict", body: json({ text: TEXTS[1] }) }, "prod"),
  );
  expect(statusOf(result)).toBe(200);
});

test("a direct invoke returns the result itself, without an HTTP envelope", async () => {
  const result = (await service.handler({ text: TEXTS[2] })) as unknown as Scored & { response: string };
  expect(result).not.toHaveProperty("statusCode");
  expect(result.response).toBe(result.label);
  expectWellFormedPrediction(result, 3);
});

test("a direct invoke with a bad payload returns a JSON error, not an exception", async () => {
  const result = await service.handler({ text: 42 });
  expect(result).toEqual({ error: { code: "invalid_text", message: expect.stringContaining("string") } });
});

test.each([
  [{ top: 1 }, undefined, 1],
  [{ top: 2 }, undefined, 2],
  [{}, { top: "1" }, 1],
  [{ top: 1000 }, undefined, 1000],
  [{}, undefined, 3],
])("top-k: body %j, query %j → %i scores (capped at the label count)", async (extra, query, expected) => {
  const event = httpV2Event({
    method: "POST",
    path: "/predict",
    body: json({ text: TEXTS[0], ...extra }),
    query,
  });
  const body = bodyOf(await service.handler(event)) as unknown as Scored;
  expectWellFormedPrediction(body, expected);
});

test("all scores of a prediction sum to about 1", async () => {
  const body = bodyOf(
    await service.handler({
      ...httpV2Event({ method: "POST", path: "/", body: json({ text: TEXTS[0], top: 1000 }) }),
    }),
  ) as unknown as Scored;
  const total = body.scores.reduce((sum, s) => sum + s.score, 0);
  expect(total).toBeCloseTo(1, 3);
});

describe("batch", () => {
  test("classifies every text in order, the same as one by one", async () => {
    const result = await service.handler(
      httpV2Event({ method: "POST", path: "/predict", body: json({ texts: TEXTS, top: 2 }) }),
    );
    expect(statusOf(result)).toBe(200);
    const body = bodyOf(result) as { results: Scored[]; model: unknown };
    expect(body.results).toHaveLength(TEXTS.length);
    expect(body.model).toEqual(service.model.identity);
    for (const [index, text] of TEXTS.entries()) {
      const single = (await service.handler({ text, top: 2 })) as unknown as Scored;
      expectWellFormedPrediction(body.results[index] as Scored, 2);
      expect(body.results[index]?.label).toBe(single.label);
      expect(body.results[index]?.scores.map((s) => s.label)).toEqual(single.scores.map((s) => s.label));
    }
  });

  test("accepts exactly the batch limit", async () => {
    const texts = Array.from({ length: service.config.limits.maxBatchSize }, (_, i) => `text number ${i}`);
    const result = await service.handler(
      httpV2Event({ method: "POST", path: "/predict", body: json({ texts }) }),
    );
    expect(statusOf(result)).toBe(200);
    expect((bodyOf(result).results as unknown[]).length).toBe(texts.length);
  });

  test("works by direct invoke", async () => {
    const result = (await service.handler({ texts: TEXTS })) as { results: Scored[] };
    expect(result.results).toHaveLength(3);
  });
});

describe("health", () => {
  test.each(Object.entries(EVENT_BUILDERS))(
    "GET /v1/health and /health through a %s event answer the model identity",
    async (_name, build) => {
      const versioned = await service.handler(build({ method: "GET", path: "/v1/health" }));
      expect(bodyOf(versioned)).toEqual(
        bodyOf(await service.handler(build({ method: "GET", path: "/health" }))),
      );
      const result = versioned;
      expect(statusOf(result)).toBe(200);
      const body = bodyOf(result) as { status: string; model: Record<string, unknown> };
      expect(body.status).toBe("ok");
      expect(body.model).toMatchObject({ ...service.model.identity, labels });
    },
  );

  test("HEAD /health answers 200 without a body", async () => {
    const result = await service.handler(httpV2Event({ method: "HEAD", path: "/health" }));
    expect(statusOf(result)).toBe(200);
    expect((result as { body: string }).body).toBe("");
  });
});

test("every HTTP answer carries JSON content type and the request id", async () => {
  const result = (await service.handler(httpV2Event({ method: "GET", path: "/health" }))) as {
    headers: Record<string, string>;
  };
  expect(result.headers["content-type"]).toBe("application/json");
  expect(result.headers["x-request-id"]).toBe("http-request-id");
});
