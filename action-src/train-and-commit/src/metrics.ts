import { ActionError } from "@textcat/action-shared/errors";

/** The headline numbers of a metrics.json the trainer writes (other fields are kept but not needed). */
export interface HeadlineMetrics {
  accuracy: number;
  macroF1: number;
  baselineAccuracy?: number;
  trainDocs?: number;
  testDocs?: number;
  features?: number;
  modelSha256?: string;
  modelBytes?: number;
  configName?: string;
  /** Label → F1 on the test split, when the trainer reports per-class metrics. */
  perClassF1?: Record<string, number>;
}

/** Parses metrics.json text; `source` names the file (or ref:path) in the error. */
export function parseMetrics(text: string, source: string): HeadlineMetrics {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ActionError(`${source} is not valid JSON`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new ActionError(`${source} must be a JSON object`);
  }
  const record = json as Record<string, unknown>;
  const baseline = record.baseline as Record<string, unknown> | undefined;
  const config = record.config as Record<string, unknown> | string | undefined;
  return {
    accuracy: fraction(record.accuracy, "accuracy", source),
    macroF1: fraction(record.macro_f1, "macro_f1", source),
    baselineAccuracy: optionalNumber(baseline?.accuracy),
    trainDocs: optionalNumber(record.train_docs),
    testDocs: optionalNumber(record.test_docs),
    features: optionalNumber(record.features),
    modelSha256: typeof record.model_sha256 === "string" ? record.model_sha256 : undefined,
    modelBytes: optionalNumber(record.model_bytes),
    configName:
      typeof config === "string" ? config : typeof config?.name === "string" ? config.name : undefined,
    perClassF1: perClassF1(record.per_class),
  };
}

function perClassF1(value: unknown): Record<string, number> | undefined {
  if (!Array.isArray(value)) return undefined;
  const f1ByLabel: Record<string, number> = {};
  for (const row of value as Array<{ label?: unknown; f1?: unknown } | null>) {
    if (typeof row?.label === "string" && typeof row.f1 === "number") f1ByLabel[row.label] = row.f1;
  }
  return Object.keys(f1ByLabel).length > 0 ? f1ByLabel : undefined;
}

function fraction(value: unknown, field: string, source: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new ActionError(
      `${source}: "${field}" must be a number between 0 and 1, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
