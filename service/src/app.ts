/**
 * The Lambda entry point, bundled to /var/task/app.mjs (image CMD `app.handler`). The slow work runs
 * once, at module scope, during the cold start: configuration, the model's integrity check and the
 * onnxruntime session. A failure there stops the start with the error's message.
 */
import { createService } from "./service.js";

const service = await createService(process.env);

export const handler = service.handler;
export { createService };
