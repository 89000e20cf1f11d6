/**
 * The CloudWatch identity of the service's embedded metrics (EMF, emf.ts): observability.ts emits them and
 * the stage's dashboard (service/infra/src/live-dashboard.ts) graphs them, so both read the names from here.
 */
export const METRICS_NAMESPACE = "textcat";
/** Every metric the service emits has the dimension `service: <SERVICE_NAME>`; log lines carry it too. */
export const SERVICE_NAME = "textcat";
export const SERVICE_DIMENSION = "service";
/** PredictionsByLabel carries this dimension besides `service`. */
export const LABEL_DIMENSION = "label";

export const METRIC = {
  requests: "Requests",
  latency: "Latency",
  clientErrors: "ClientErrors",
  serverErrors: "ServerErrors",
  predictions: "Predictions",
  predictionsByLabel: "PredictionsByLabel",
  /** Once per on-demand execution environment, with its first request (dimension `service` only). */
  coldStart: "ColdStart",
} as const;
