import type { FunctionSettings, ImageConfig } from "./function-model.js";
import { invalidValue } from "./lambda-errors.js";

type Input = Record<string, unknown>;

export function optionalString(input: Input, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidValue(`${key} must be a string.`);
  return value;
}

function optionalInteger(input: Input, key: string, min: number, max: number): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw invalidValue(`${key} must be an integer between ${min} and ${max}.`);
  }
  return value;
}

function stringList(value: unknown, key: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw invalidValue(`${key} must be a list of strings.`);
  }
  return value as string[];
}

function environment(input: Input): Record<string, string> | undefined {
  const value = input.Environment;
  if (value === undefined || value === null) return undefined;
  const variables = (value as Input).Variables ?? {};
  if (typeof variables !== "object" || variables === null || Array.isArray(variables)) {
    throw invalidValue("Environment.Variables must be a map of strings.");
  }
  for (const [name, text] of Object.entries(variables)) {
    if (typeof text !== "string") throw invalidValue(`Environment variable ${name} must be a string.`);
    if (!/^[a-zA-Z]\w*$/.test(name)) throw invalidValue(`Environment variable name ${name} is not valid.`);
    if (name.startsWith("AWS_LAMBDA_") || name === "AWS_REGION" || name === "AWS_ACCESS_KEY_ID") {
      throw invalidValue(
        `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${name}`,
      );
    }
  }
  return variables as Record<string, string>;
}

function imageConfig(input: Input): ImageConfig | undefined {
  const value = input.ImageConfig;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object") throw invalidValue("ImageConfig must be an object.");
  const record = value as Input;
  return {
    EntryPoint: stringList(record.EntryPoint, "ImageConfig.EntryPoint"),
    Command: stringList(record.Command, "ImageConfig.Command"),
    WorkingDirectory: optionalString(record, "WorkingDirectory"),
  };
}

/** Settings from CreateFunction / UpdateFunctionConfiguration, over the current ones. */
export function settingsFrom(input: Input, current: FunctionSettings): FunctionSettings {
  return {
    description: optionalString(input, "Description") ?? current.description,
    timeoutSeconds: optionalInteger(input, "Timeout", 1, 900) ?? current.timeoutSeconds,
    memorySize: optionalInteger(input, "MemorySize", 128, 10240) ?? current.memorySize,
    environment: environment(input) ?? current.environment,
    imageConfig: imageConfig(input) ?? current.imageConfig,
    role: optionalString(input, "Role") ?? current.role,
  };
}

export const DEFAULT_SETTINGS: FunctionSettings = {
  description: "",
  timeoutSeconds: 3,
  memorySize: 128,
  environment: {},
  imageConfig: {},
  role: "",
};

/** A RoutingConfig's AdditionalVersionWeights, checked the way Lambda checks them. */
export function routingWeights(input: Input, primaryVersion: string): Record<string, number> | undefined {
  const routing = input.RoutingConfig;
  if (routing === undefined || routing === null) return undefined;
  const weights = ((routing as Input).AdditionalVersionWeights ?? {}) as Record<string, unknown>;
  const entries = Object.entries(weights);
  if (entries.length > 1) throw invalidValue("Number of AdditionalVersionWeights cannot be greater than 1.");
  for (const [version, weight] of entries) {
    if (typeof weight !== "number" || !(weight >= 0 && weight <= 1)) {
      throw invalidValue(`Weight of version ${version} must be a number between 0.0 and 1.0.`);
    }
    if (!/^\d+$/.test(version))
      throw invalidValue("RoutingConfig can only route to published versions, not $LATEST.");
    if (version === primaryVersion) {
      throw invalidValue(
        `Primary version ${primaryVersion} cannot also be an additional version in RoutingConfig.`,
      );
    }
  }
  if (entries.length > 0 && !/^\d+$/.test(primaryVersion)) {
    throw invalidValue("RoutingConfig requires the alias to point to a published version, not $LATEST.");
  }
  return Object.fromEntries(entries) as Record<string, number>;
}

export const ALIAS_NAME = /^(?!^\d+$)[a-zA-Z0-9-_]{1,128}$/;
export const FUNCTION_NAME = /^[a-zA-Z0-9-_]{1,64}$/;
