import { describe, expect, test } from "vitest";
import {
  createLogger,
  LOG_LEVELS,
  type LoggerOptions,
  logThreshold,
  xrayTraceId,
} from "../../src/log-line.js";

const NOW = Date.UTC(2026, 11, 1, 12, 30, 0, 250);
const TRACE = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;Sampled=1";

function capturingLogger(options: Partial<LoggerOptions> = {}) {
  const writes: string[] = [];
  const logger = createLogger({
    service: "svc",
    threshold: LOG_LEVELS.INFO,
    write: (text) => writes.push(text),
    now: () => NOW,
    traceHeader: () => undefined,
    ...options,
  });
  const lines = () => writes.map((text) => JSON.parse(text) as Record<string, unknown>);
  return { logger, writes, lines };
}

describe("logThreshold", () => {
  test.each([
    [{}, "INFO"],
    [{ LOG_LEVEL: "WARN" }, "WARN"],
    [{ POWERTOOLS_LOG_LEVEL: "ERROR", LOG_LEVEL: "DEBUG" }, "ERROR"],
    [{ POWERTOOLS_LOG_LEVEL: "", LOG_LEVEL: "DEBUG" }, "DEBUG"],
    [{ AWS_LAMBDA_LOG_LEVEL: "WARN", POWERTOOLS_LOG_LEVEL: "DEBUG", LOG_LEVEL: "TRACE" }, "WARN"],
    [{ AWS_LAMBDA_LOG_LEVEL: "DEBUG", LOG_LEVEL: "ERROR" }, "DEBUG"],
    [{ AWS_LAMBDA_LOG_LEVEL: "FATAL" }, "CRITICAL"],
    [{ AWS_LAMBDA_LOG_LEVEL: "verbose", LOG_LEVEL: "error" }, "ERROR"],
    [{ LOG_LEVEL: " silent " }, "SILENT"],
    [{ LOG_LEVEL: "loud" }, "INFO"],
  ] as const)("%o → %s", (env, level) => {
    expect(logThreshold(env)).toBe(LOG_LEVELS[level]);
  });
});

describe("xrayTraceId", () => {
  test.each([
    [TRACE, "1-5759e988-bd862e3fe1be46a994272793"],
    ["Parent=557abcec3ee5a047;Root=1-abc-def;Sampled=0", "1-abc-def"],
    ["1-5759e988-bd862e3fe1be46a994272793", "1-5759e988-bd862e3fe1be46a994272793"],
    ["Parent=557abcec3ee5a047;Sampled=1", undefined],
    ["", undefined],
    [undefined, undefined],
  ])("%s → %s", (header, id) => {
    expect(xrayTraceId(header)).toBe(id);
  });
});

describe("createLogger", () => {
  test("one write per call: one JSON line, level first, then message, timestamp, service, the fields", () => {
    const { logger, writes } = capturingLogger();
    logger.info("request", { status: 200, note: "two\nlines", skipped: undefined });
    expect(writes).toHaveLength(1);
    const text = writes[0] as string;
    expect(text.endsWith("\n")).toBe(true);
    expect(text.slice(0, -1)).not.toContain("\n");
    expect(text.startsWith('{"level":"INFO"')).toBe(true);
    const line = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(line)).toEqual(["level", "message", "timestamp", "service", "status", "note"]);
    expect(line).toEqual({
      level: "INFO",
      message: "request",
      timestamp: "2026-12-01T12:30:00.250Z",
      service: "svc",
      status: 200,
      note: "two\nlines",
    });
  });

  test("lines below the threshold are not written", () => {
    const warn = capturingLogger({ threshold: LOG_LEVELS.WARN });
    warn.logger.info("dropped");
    warn.logger.error("kept");
    expect(warn.lines().map((line) => [line.level, line.message])).toEqual([["ERROR", "kept"]]);

    const critical = capturingLogger({ threshold: LOG_LEVELS.CRITICAL });
    critical.logger.error("dropped");
    expect(critical.writes).toEqual([]);

    const debug = capturingLogger({ threshold: LOG_LEVELS.DEBUG });
    debug.logger.info("kept");
    expect(debug.writes).toHaveLength(1);
  });

  test("xray_trace_id follows _X_AMZN_TRACE_ID from one invocation to the next, and is absent without it", () => {
    let header: string | undefined = TRACE;
    const { logger, lines } = capturingLogger({ traceHeader: () => header });
    logger.info("first");
    header = "Root=1-00000000-000000000000000000000002;Sampled=0";
    logger.info("second");
    header = undefined;
    logger.info("third");
    expect(lines().map((line) => line.xray_trace_id)).toEqual([
      "1-5759e988-bd862e3fe1be46a994272793",
      "1-00000000-000000000000000000000002",
      undefined,
    ]);
    expect(Object.keys(lines()[2] ?? {})).not.toContain("xray_trace_id");
  });
});
