/** Deployment stages and the settings each starts from; every number can be overridden by context. */
export const STAGES = ["dev", "prod"] as const;
export type Stage = (typeof STAGES)[number];

export interface StageDefaults {
  /** GitHub environment whose jobs may assume the deploy role (`repo:<o>/<r>:environment:<name>`). */
  githubEnvironment: string;
  /** Also trust jobs on main that run without an environment. Off for prod: only the protected environment deploys. */
  trustMainBranch: boolean;
  memoryMb: number;
  timeoutSeconds: number;
  /** `undefined` leaves the function on the account's unreserved pool. */
  reservedConcurrency: number | undefined;
  /** Environments promote keeps initialized for the live version (0 = off); billed while configured. */
  provisionedConcurrency: number;
  throttleRateLimit: number;
  throttleBurstLimit: number;
  logRetentionDays: number;
  /** Images not tagged `deployed-*` expire this many days after push. */
  imageExpiryDays: number;
  p99DurationAlarmMs: number;
  corsOrigins: string[];
  /** Keep logs when the stack is deleted. */
  retainLogs: boolean;
}

/*
 * Memory: the service is a small ONNX model on onnxruntime-node. Lambda gives CPU in proportion to memory
 * (1,769 MB = 1 vCPU), and the cold start (import + model load + session create) is CPU-bound, so 1,024 MB
 * (~0.58 vCPU) buys a fast cold start for a process that needs a few hundred MB. Timeout: a warm answer takes
 * milliseconds and a cold first answer under a second; 10 s bounds a stuck request well below API Gateway's
 * 30 s limit while leaving 10x headroom.
 */
export const STAGE_DEFAULTS: Record<Stage, StageDefaults> = {
  dev: {
    githubEnvironment: "dev",
    trustMainBranch: true,
    memoryMb: 1024,
    timeoutSeconds: 10,
    reservedConcurrency: 10,
    provisionedConcurrency: 0,
    throttleRateLimit: 20,
    throttleBurstLimit: 40,
    logRetentionDays: 14,
    imageExpiryDays: 14,
    p99DurationAlarmMs: 1000,
    corsOrigins: ["*"],
    retainLogs: false,
  },
  prod: {
    githubEnvironment: "production",
    trustMainBranch: false,
    memoryMb: 1024,
    timeoutSeconds: 10,
    reservedConcurrency: 100,
    provisionedConcurrency: 0,
    throttleRateLimit: 200,
    throttleBurstLimit: 400,
    logRetentionDays: 90,
    imageExpiryDays: 30,
    p99DurationAlarmMs: 500,
    corsOrigins: [],
    retainLogs: true,
  },
};
