/** The service's routes: which path answers which methods. */
import { HttpError } from "./errors.js";

export type RouteName = "predict" | "health";

export type RouteMatch =
  { kind: "route"; route: RouteName } | { kind: "preflight"; allowedMethods: string[] };

/** `/v1/*` is the documented API (service/openapi.yaml); `/`, `/predict` and `/health` stay for older clients. */
const ROUTES: Record<string, { route: RouteName; methods: string[] }> = {
  "/v1/predict": { route: "predict", methods: ["POST"] },
  "/v1/health": { route: "health", methods: ["GET", "HEAD"] },
  "/": { route: "predict", methods: ["POST"] },
  "/predict": { route: "predict", methods: ["POST"] },
  "/health": { route: "health", methods: ["GET", "HEAD"] },
};

/** `/predict/` and `//predict` name the same route as `/predict`. */
export function canonicalPath(path: string): string {
  const collapsed = path.replace(/\/{2,}/g, "/");
  if (collapsed.length > 1 && collapsed.endsWith("/")) return collapsed.slice(0, -1);
  return collapsed === "" ? "/" : collapsed;
}

export function allowedMethods(path: string): string[] | undefined {
  const methods = ROUTES[canonicalPath(path)]?.methods;
  return methods === undefined ? undefined : [...methods, "OPTIONS"];
}

/** Throws 404 for an unknown path and 405 (with an Allow header) for a wrong method. */
export function matchRoute(method: string, path: string): RouteMatch {
  const entry = ROUTES[canonicalPath(path)];
  if (entry === undefined) {
    throw new HttpError(
      404,
      "not_found",
      `No route ${JSON.stringify(path.slice(0, 200))}. Use POST /v1/predict and GET /v1/health.`,
    );
  }
  const allow = [...entry.methods, "OPTIONS"];
  if (method === "OPTIONS") return { kind: "preflight", allowedMethods: allow };
  if (!entry.methods.includes(method)) {
    throw new HttpError(
      405,
      "method_not_allowed",
      `${method.slice(0, 20)} is not allowed on ${canonicalPath(path)}; allowed: ${allow.join(", ")}.`,
      { allow: allow.join(", ") },
    );
  }
  return { kind: "route", route: entry.route };
}
