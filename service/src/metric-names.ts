/**
 * The CloudWatch identity of the service's embedded metrics (Powertools EMF): observability.ts emits them and
 * the stage's dashboard (service/infra/src/live-dashboard.ts) graphs them, so both read the names from here.
 */
export const METRICS_NAMESPACE = "textcat";
/** Powertools adds `service: <serviceName>` to every metric it emits. */
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
  /** Emitted by Powertools' captureColdStartMetric() under this fixed name, once per execution environment. */
  coldStart: "ColdStart",
} as const;
