import { beforeAll, describe, expect, test } from "vitest";
import type { Service } from "../../src/service.js";
import { EVENT_BUILDERS, httpV2Event, json } from "../support/events.js";
import { createTestService, statusOf } from "../support/service-under-test.js";

type Headers = Record<string, string>;
const headersOf = (result: unknown): Headers => (result as { headers: Headers }).headers;
const ALLOWED = "https://app.example.com";

describe("with ALLOWED_ORIGINS set", () => {
  let service: Service;
  beforeAll(async () => {
    service = await createTestService({ ALLOWED_ORIGINS: `${ALLOWED}, https://admin.example.com/` });
  });

  test.each(Object.entries(EVENT_BUILDERS))(
    "a %s preflight from an allowed origin is answered 204",
    async (_name, build) => {
      const result = await service.handler(
        build({
          method: "OPTIONS",
          path: "/predict",
          headers: { origin: ALLOWED, "access-control-request-method": "POST" },
        }),
      );
      expect(statusOf(result)).toBe(204);
      expect(headersOf(result)).toMatchObject({
        "access-control-allow-origin": ALLOWED,
        "access-control-allow-methods": "POST, OPTIONS",
        "access-control-allow-headers": expect.stringContaining("content-type"),
        "access-control-max-age": "86400",
        vary: "Origin",
      });
    },
  );

  test("an origin listed with a trailing slash is matched", async () => {
    const result = await service.handler(
      httpV2Event({ method: "OPTIONS", path: "/health", headers: { origin: "https://admin.example.com" } }),
    );
    expect(headersOf(result)["access-control-allow-origin"]).toBe("https://admin.example.com");
    expect(headersOf(result)["access-control-allow-methods"]).toBe("GET, HEAD, OPTIONS");
  });

  test("a preflight from another origin gets no allow headers", async () => {
    const result = await service.handler(
      httpV2Event({ method: "OPTIONS", path: "/predict", headers: { origin: "https://evil.example" } }),
    );
    expect(statusOf(result)).toBe(204);
    expect(headersOf(result)).not.toHaveProperty("access-control-allow-origin");
    expect(headersOf(result)).not.toHaveProperty("access-control-allow-methods");
  });

  test("a preflight for an unknown path is a 404", async () => {
    const result = await service.handler(
      httpV2Event({ method: "OPTIONS", path: "/nope", headers: { origin: ALLOWED } }),
    );
    expect(statusOf(result)).toBe(404);
  });

  test.each([
    ["a prediction", { method: "POST", path: "/predict", body: json({ text: "hello there" }) }, 200],
    ["an error", { method: "POST", path: "/predict", body: "{" }, 400],
    ["health", { method: "GET", path: "/health" }, 200],
  ])("%s carries the CORS headers for an allowed origin", async (_name, call, status) => {
    const result = await service.handler(httpV2Event({ ...call, headers: { origin: ALLOWED } }));
    expect(statusOf(result)).toBe(status);
    expect(headersOf(result)["access-control-allow-origin"]).toBe(ALLOWED);
    expect(headersOf(result)["access-control-expose-headers"]).toContain("x-request-id");
    expect(headersOf(result).vary).toBe("Origin");
  });

  test("a response to another origin has no allow-origin header", async () => {
    const result = await service.handler(
      httpV2Event({ method: "GET", path: "/health", headers: { origin: "https://evil.example" } }),
    );
    expect(headersOf(result)).not.toHaveProperty("access-control-allow-origin");
  });
});

test("ALLOWED_ORIGINS=* allows any origin", async () => {
  const service = await createTestService({ ALLOWED_ORIGINS: "*" });
  const result = await service.handler(
    httpV2Event({ method: "GET", path: "/health", headers: { origin: "https://anything.example" } }),
  );
  expect(headersOf(result)["access-control-allow-origin"]).toBe("*");
});

test("without ALLOWED_ORIGINS no CORS headers are sent", async () => {
  const service = await createTestService({ ALLOWED_ORIGINS: "" });
  const result = await service.handler(
    httpV2Event({ method: "OPTIONS", path: "/predict", headers: { origin: ALLOWED } }),
  );
  expect(statusOf(result)).toBe(204);
  expect(Object.keys(headersOf(result)).filter((name) => name.startsWith("access-control-"))).toEqual([]);
});
