import { SignatureV4 } from "@smithy/signature-v4";
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifySignature, type SignedRequest } from "../src/iam/sigv4.js";

/** The SDK's checksum interface over node:crypto (HMAC when given a key). */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | Uint8Array) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", secret);
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

const credentials = { accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: "token" };

/** Signs like the AWS SDK's Lambda client, then hands the parts to the verifier as the server sees them. */
async function signed(path: string, query: Record<string, string>, body: string): Promise<SignedRequest> {
  const signer = new SignatureV4({
    credentials,
    region: "us-east-1",
    service: "lambda",
    sha256: Sha256 as never,
  });
  const request = await signer.sign({
    method: "POST",
    protocol: "http:",
    hostname: "127.0.0.1",
    port: 4566,
    path,
    query,
    headers: { host: "127.0.0.1:4566", "content-type": "application/json", "x-amz-log-type": "Tail" },
    body,
  });
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  return {
    method: "POST",
    rawPath: path,
    query: new URLSearchParams(query),
    headers,
    body: Buffer.from(body),
  };
}

describe("verifySignature", () => {
  it("accepts what the SDK signed: a function ARN in the path, a qualifier in the query", async () => {
    const request = await signed(
      "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af/invocations",
      { Qualifier: "live" },
      '{"a":1}',
    );
    expect(verifySignature(request, "secret")).toBe(true);
  });

  it("refuses another secret, a changed body, path or query", async () => {
    const request = await signed("/2015-03-31/functions/f/invocations", { Qualifier: "live" }, '{"a":1}');
    expect(verifySignature(request, "other")).toBe(false);
    expect(verifySignature({ ...request, body: Buffer.from('{"a":2}') }, "secret")).toBe(false);
    expect(verifySignature({ ...request, rawPath: "/2015-03-31/functions/g/invocations" }, "secret")).toBe(
      false,
    );
    expect(verifySignature({ ...request, query: new URLSearchParams({ Qualifier: "1" }) }, "secret")).toBe(
      false,
    );
    expect(
      verifySignature(
        { ...request, headers: { ...request.headers, authorization: "AWS4-HMAC-SHA256 nonsense" } },
        "secret",
      ),
    ).toBe(false);
  });
});
