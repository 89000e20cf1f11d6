/** Resolves `file.export` (the image CMD) to a function in LAMBDA_TASK_ROOT, with the AWS runtime's error types. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export type LoadedHandler = (
  event: unknown,
  context: object,
  callback?: (error: unknown, result: unknown) => void,
) => unknown;

class RuntimeError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

const MODULE_EXTENSIONS = [".js", ".mjs", ".cjs"];

export async function loadHandler(taskRoot: string, handlerName: string): Promise<LoadedHandler> {
  const match = /^([^.]*[^./])\.([^./]+(?:\.[^./]+)*)$/.exec(handlerName);
  if (match === null) {
    throw new RuntimeError("Runtime.MalformedHandlerName", `Bad handler ${handlerName}`);
  }
  const [, modulePath = "", exportPath = ""] = match;
  const file = MODULE_EXTENSIONS.map((extension) => join(taskRoot, modulePath + extension)).find((path) =>
    existsSync(path),
  );
  if (file === undefined) {
    throw new RuntimeError("Runtime.ImportModuleError", `Error: Cannot find module '${modulePath}'`);
  }
  // User code errors (including a failed model check) keep their own name, as in the AWS runtime.
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  let target: unknown = module;
  for (const key of exportPath.split(".")) target = (target as Record<string, unknown> | undefined)?.[key];
  if (typeof target !== "function") {
    throw new RuntimeError(
      "Runtime.HandlerNotFound",
      `${modulePath}.${exportPath} is undefined or not exported`,
    );
  }
  return target as LoadedHandler;
}
