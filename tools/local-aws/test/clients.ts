import { ECRClient } from "@aws-sdk/client-ecr";
import { LambdaClient } from "@aws-sdk/client-lambda";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };

export function clientsFor(endpoint: string): { ecr: ECRClient; lambda: LambdaClient } {
  const config = { endpoint, region: "us-east-1", credentials, maxAttempts: 1 };
  return { ecr: new ECRClient(config), lambda: new LambdaClient(config) };
}

/** The error the SDK threw, for asserting on its name and HTTP status. */
export async function failure(
  promise: Promise<unknown>,
): Promise<{ name: string; status?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const typed = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: typed.name, status: typed.$metadata?.httpStatusCode, message: typed.message };
  }
  throw new Error("expected the call to fail, it succeeded");
}

export const decode = (payload: Uint8Array | undefined): Record<string, unknown> =>
  JSON.parse(Buffer.from(payload ?? new Uint8Array()).toString("utf8")) as Record<string, unknown>;
