/** Builds the whole service from an environment: configuration, verified model, telemetry, handler. */
import { readConfig, type ServiceConfig } from "./config.js";
import { createHandler, type LambdaHandler } from "./handler.js";
import { type LoadedModel, loadModel } from "./model.js";
import { createTelemetry, type Telemetry } from "./observability.js";

export interface Service {
  handler: LambdaHandler;
  model: LoadedModel;
  config: ServiceConfig;
  telemetry: Telemetry;
}

export async function createService(env: Record<string, string | undefined> = process.env): Promise<Service> {
  const config = readConfig(env);
  const telemetry = createTelemetry(env);
  const model = await loadModel(config.model);
  // The first run allocates onnxruntime's buffers; paying it during init keeps it off the first request.
  await model.classify(["warm up"]);
  telemetry.logger.info("model loaded", {
    modelPath: config.model.path,
    modelSha256: model.identity.sha256,
    verified: config.model.expectedSha256 !== undefined,
    configName: model.identity.configName,
    labels: model.labels.length,
  });
  return { handler: createHandler({ model, config, telemetry }), model, config, telemetry };
}
