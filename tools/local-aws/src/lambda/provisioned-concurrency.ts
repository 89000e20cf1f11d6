/**
 * Provisioned concurrency on published versions: Put starts that many containers and keeps them
 * initialized; Get reports IN_PROGRESS until all of them finished init, then READY (FAILED if one could
 * not start); Delete stops them. Paths and shapes as in
 * https://docs.aws.amazon.com/lambda/latest/api/API_PutProvisionedConcurrencyConfig.html (202),
 * API_GetProvisionedConcurrencyConfig.html (200) and API_DeleteProvisionedConcurrencyConfig.html (204).
 * IAM actions of these routes: lambda:PutProvisionedConcurrencyConfig, lambda:GetProvisionedConcurrencyConfig,
 * lambda:DeleteProvisionedConcurrencyConfig on the function's qualified ARN
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html).
 */
import { AwsError } from "../aws-error.js";
import { parseJsonObject } from "../http-util.js";
import { lambdaTimestamp, sandboxSpec, type FunctionRecord, type VersionRecord } from "./function-model.js";
import type { SandboxSpec } from "./sandbox.js";
import { invalidValue } from "./lambda-errors.js";
import type { LambdaHandler, LambdaRequest } from "./lambda-routes.js";

export const PROVISIONED_CONCURRENCY = "/2019-09-30/functions/";
const PATH = /^\/2019-09-30\/functions\/([^/]+)\/provisioned-concurrency$/;

export interface ProvisionedSandboxes {
  /** Resolves once `count` containers of the version finished init; rejects with why one could not. */
  provision(spec: SandboxSpec, count: number): Promise<void>;
  unprovision(key: string): Promise<void>;
}

interface ProvisionedConfig {
  requested: number;
  allocated: number;
  status: "IN_PROGRESS" | "READY" | "FAILED";
  reason?: string;
  lastModified: string;
  /** Which Put this state belongs to: a later Put or Delete makes an earlier allocation's outcome moot. */
  generation: number;
}

const notFound = () =>
  new AwsError(
    "ProvisionedConcurrencyConfigNotFoundException",
    "No Provisioned Concurrency Config found for this function",
    404,
  );

export class ProvisionedConcurrency {
  private readonly configs = new Map<string, ProvisionedConfig>();
  private generation = 0;

  constructor(private readonly sandboxes: ProvisionedSandboxes) {}

  put(fn: FunctionRecord, record: VersionRecord, input: Record<string, unknown>): unknown {
    const count = input.ProvisionedConcurrentExecutions;
    if (typeof count !== "number" || !Number.isInteger(count) || count < 1) {
      throw invalidValue("ProvisionedConcurrentExecutions must be an integer of at least 1.");
    }
    const spec = sandboxSpec(fn, record, record.version);
    const config: ProvisionedConfig = {
      requested: count,
      allocated: 0,
      status: "IN_PROGRESS",
      lastModified: lambdaTimestamp(),
      generation: ++this.generation,
    };
    this.configs.set(spec.key, config);
    this.sandboxes.provision(spec, count).then(
      () => this.settle(spec.key, config.generation, { status: "READY", allocated: count }),
      (error: unknown) =>
        this.settle(spec.key, config.generation, {
          status: "FAILED",
          reason: `Provisioned containers could not initialize: ${error instanceof Error ? error.message : String(error)}`,
        }),
    );
    return { status: 202, body: view(config) };
  }

  get(fn: FunctionRecord, record: VersionRecord): unknown {
    const config = this.configs.get(sandboxSpec(fn, record).key);
    if (!config) throw notFound();
    return view(config);
  }

  async delete(fn: FunctionRecord, record: VersionRecord): Promise<unknown> {
    const key = sandboxSpec(fn, record).key;
    // Delete's documented errors name ResourceNotFoundException, not the config-specific one Get uses
    // (https://docs.aws.amazon.com/lambda/latest/api/API_DeleteProvisionedConcurrencyConfig.html).
    if (!this.configs.delete(key)) {
      throw new AwsError(
        "ResourceNotFoundException",
        "No Provisioned Concurrency Config found for this function",
        404,
      );
    }
    await this.sandboxes.unprovision(key);
    return { status: 204 };
  }

  private settle(key: string, generation: number, update: Partial<ProvisionedConfig>): void {
    const config = this.configs.get(key);
    if (config?.generation === generation) Object.assign(config, update);
  }
}

function view(config: ProvisionedConfig): Record<string, unknown> {
  return {
    RequestedProvisionedConcurrentExecutions: config.requested,
    AvailableProvisionedConcurrentExecutions: config.allocated,
    AllocatedProvisionedConcurrentExecutions: config.allocated,
    Status: config.status,
    StatusReason: config.reason,
    LastModified: config.lastModified,
  };
}

const json = (request: LambdaRequest) => parseJsonObject(request.body, "InvalidRequestContentException");

export const PROVISIONED_CONCURRENCY_ROUTES: [string, RegExp, LambdaHandler][] = [
  [
    "PUT",
    PATH,
    async (s, _i, r, [n = ""]) => {
      const { fn, record } = s.provisionableVersion(n, r.query);
      return s.provisioned.put(fn, record, json(r));
    },
  ],
  [
    "GET",
    PATH,
    async (s, _i, r, [n = ""]) => {
      const { fn, record } = s.provisionableVersion(n, r.query);
      return s.provisioned.get(fn, record);
    },
  ],
  [
    "DELETE",
    PATH,
    (s, _i, r, [n = ""]) => {
      const { fn, record } = s.provisionableVersion(n, r.query);
      return s.provisioned.delete(fn, record);
    },
  ],
];
