/**
 * `npm start`: serves the Lambda handler on http://127.0.0.1:3000 (PORT and HOST override) with the
 * committed model (MODEL_PATH overrides), so it can be tried with curl without AWS.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { createLocalServer } from "../local-server.js";
import { createService } from "../service.js";

async function main(): Promise<void> {
  const env = { ...process.env };
  env.MODEL_PATH ??= resolve("model/artifacts/model.onnx");
  env.ALLOW_UNVERIFIED_MODEL ??= "true";
  if (!existsSync(env.MODEL_PATH)) {
    throw new Error(
      `no model at ${env.MODEL_PATH}: train one (npm run train) or set MODEL_PATH=<model.onnx>`,
    );
  }
  const { handler } = await createService(env);
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? "127.0.0.1";
  const server = createLocalServer(handler);
  server.listen(port, host, () => {
    process.stderr.write(
      `textcat: serving ${env.MODEL_PATH} on http://${host}:${port} (POST /v1/predict, GET /v1/health)\n`,
    );
  });
  const stop = () => server.close(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`textcat: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
