import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { describe, expect, test } from "vitest";
import {
  PIN_FILE,
  PinError,
  parsePin,
  parseTaggedImage,
  pinnedReference,
  planPinUpdate,
  readPinFile,
} from "../../scripts/base-image-pin.js";
import {
  type Fetch,
  MANIFEST_TYPES,
  parseBearerChallenge,
  registryBaseUrl,
  resolveTagDigest,
} from "../../scripts/registry-digest.js";

const OLD = `sha256:${"a".repeat(64)}`;
const NEW = `sha256:${"b".repeat(64)}`;
const PIN = `# comment\n\npublic.ecr.aws/lambda/nodejs:22@${OLD}\n`;

describe("the pin file", () => {
  test("the committed pin names public.ecr.aws/lambda/nodejs:22 by digest", () => {
    const pin = readPinFile(resolve(import.meta.dirname, "../../..", PIN_FILE));
    expect(pin.image).toEqual({ registry: "public.ecr.aws", repository: "lambda/nodejs", tag: "22" });
    expect(pin.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test("one reference line, comments around it", () => {
    expect(pinnedReference(parsePin(PIN))).toBe(`public.ecr.aws/lambda/nodejs:22@${OLD}`);
    expect(parseTaggedImage("127.0.0.1:5000/a/b-c:22", "x")).toEqual({
      registry: "127.0.0.1:5000",
      repository: "a/b-c",
      tag: "22",
    });
  });

  test.each([
    ["", /exactly one image reference line, found 0/],
    [`${PIN}other/x:1@${OLD}\n`, /found 2/],
    ["public.ecr.aws/lambda/nodejs:22\n", /must end in @sha256:<64 hex>/],
    [`public.ecr.aws/lambda/nodejs@${OLD}`, /is not <registry>\/<repository>:<tag>/],
    [`nodejs:22@${OLD}`, /is not <registry>\/<repository>:<tag>/],
  ])("%j is refused with a message naming the file", (text, message) => {
    expect(() => parsePin(text, "service/base-image.pin")).toThrow(PinError);
    expect(() => parsePin(text, "service/base-image.pin")).toThrow(message);
  });
});

describe("planPinUpdate", () => {
  test("the same digest: nothing to do", () => {
    expect(planPinUpdate(PIN, OLD)).toEqual({ changed: false, pin: parsePin(PIN) });
  });

  test("a new digest: only the reference line changes, and the PR says from what to what", () => {
    const plan = planPinUpdate(PIN, NEW);
    if (!plan.changed) throw new Error("expected a change");
    expect(plan.text).toBe(`# comment\n\npublic.ecr.aws/lambda/nodejs:22@${NEW}\n`);
    expect(plan.branch).toBe(`base-image/${"b".repeat(12)}`);
    expect(plan.title).toBe(`Base image: public.ecr.aws/lambda/nodejs:22 moved to ${NEW.slice(0, 19)}`);
    expect(plan.body).toContain(`| pinned | \`${OLD}\` |`);
    expect(plan.body).toContain(`| current | \`${NEW}\` |`);
  });

  test("a registry answer that is not a digest is refused", () => {
    expect(() => planPinUpdate(PIN, "latest")).toThrow(/not a sha256 digest/);
  });
});

describe("resolveTagDigest", () => {
  const manifest = JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_TYPES[0], manifests: [] });
  const digestOf = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;
  const image = parseTaggedImage("public.ecr.aws/lambda/nodejs:22", "test");

  /** A registry that wants an anonymous bearer token first, as public.ecr.aws does. */
  function tokenRegistry(headers: Record<string, string> = {}) {
    const calls: { url: string; headers: Record<string, string> }[] = [];
    const fetchImpl: Fetch = async (url, init) => {
      calls.push({ url, headers: init?.headers ?? {} });
      if (url.startsWith("https://public.ecr.aws/token/")) return Response.json({ token: "anon" });
      if (init?.headers?.Authorization !== "Bearer anon") {
        return new Response("", {
          status: 401,
          headers: {
            "WWW-Authenticate":
              'Bearer realm="https://public.ecr.aws/token/",service="public.ecr.aws",scope="aws"',
          },
        });
      }
      return new Response(manifest, { status: 200, headers });
    };
    return { calls, fetchImpl };
  }

  test("follows the bearer challenge and hashes the manifest bytes", async () => {
    const registry = tokenRegistry({ "Docker-Content-Digest": digestOf(manifest) });
    await expect(resolveTagDigest(image, registry.fetchImpl)).resolves.toBe(digestOf(manifest));
    expect(registry.calls.map((call) => call.url)).toEqual([
      "https://public.ecr.aws/v2/lambda/nodejs/manifests/22",
      "https://public.ecr.aws/token/?service=public.ecr.aws&scope=aws",
      "https://public.ecr.aws/v2/lambda/nodejs/manifests/22",
    ]);
    expect(registry.calls[0]?.headers.Accept).toContain("application/vnd.oci.image.index.v1+json");
  });

  test("a Docker-Content-Digest that disagrees with the bytes is an error", async () => {
    const registry = tokenRegistry({ "Docker-Content-Digest": NEW });
    await expect(resolveTagDigest(image, registry.fetchImpl)).rejects.toThrow(
      /says sha256:b{64} but its manifest hashes to/,
    );
  });

  test("an unknown tag and an unreachable registry are one line each", async () => {
    await expect(
      resolveTagDigest(image, async () => new Response("", { status: 404, statusText: "Not Found" })),
    ).rejects.toThrow(
      "public.ecr.aws/lambda/nodejs:22: the registry answered 404 Not Found for its manifest",
    );
    await expect(
      resolveTagDigest(image, async () => {
        throw new TypeError("fetch failed");
      }),
    ).rejects.toThrow("public.ecr.aws/lambda/nodejs:22: cannot reach https://public.ecr.aws");
  });

  test("plain http only for registries on this machine, as Docker allows", () => {
    expect(registryBaseUrl("127.0.0.1:5000")).toBe("http://127.0.0.1:5000");
    expect(registryBaseUrl("localhost:5000")).toBe("http://localhost:5000");
    expect(registryBaseUrl("public.ecr.aws")).toBe("https://public.ecr.aws");
    expect(parseBearerChallenge('Basic realm="x"')).toEqual({});
  });
});
