/**
 * The Lambda handler: normalizes the event, routes it, classifies, and answers in the event's own
 * shape. It never throws: client mistakes become 4xx JSON errors, anything else a logged 500.
 */
import type { Context } from "aws-lambda";
import type { ServiceConfig } from "./config.js";
import { corsHeaders, preflightHeaders } from "./cors.js";
import { type ErrorBody, HttpError, errorBody } from "./errors.js";
import { errorMessage } from "@textcat/kit/errors";
import { type HttpRequest, type HttpResponse, eventKind, normalizeEvent } from "./events.js";
import type { LoadedModel } from "./model.js";
import { type Telemetry, recordRequest } from "./observability.js";
import {
  checkContentType,
  decodeBody,
  parseJsonBody,
  parsePredictRequest,
  type PredictRequest,
} from "./request.js";
import { healthResponse, predictionResult, singleResponse } from "./response.js";
import { matchRoute } from "./routes.js";

export interface HandlerDeps {
  model: LoadedModel;
  config: ServiceConfig;
  telemetry: Telemetry;
  now?: () => number;
}

export type DirectResponse = Record<string, unknown> | ErrorBody;
export type LambdaHandler = (
  event: unknown,
  context?: Partial<Context>,
) => Promise<HttpResponse | DirectResponse>;

interface Outcome {
  status: number;
  body: object | undefined;
  headers: Record<string, string>;
  labels: string[];
  texts: string[];
  error?: HttpError;
  /** What went wrong inside, for the log only. */
  internalMessage?: string;
}

const internalError = (): HttpError =>
  new HttpError(500, "internal_error", "The service failed to answer; the error has been logged.");

export function createHandler(deps: HandlerDeps): LambdaHandler {
  const { model, config, telemetry } = deps;
  const now = deps.now ?? (() => performance.now());
  let coldStart = true;

  async function predict(request: PredictRequest): Promise<Outcome> {
    const texts = request.kind === "single" ? [request.text] : request.texts;
    const classifications = await model.classify(texts);
    const results = classifications.map((c) => predictionResult(c, model.labels, request.topK));
    const labels = results.map((result) => result.label);
    const body =
      request.kind === "single" && results[0] !== undefined
        ? singleResponse(results[0], request.body, model.identity)
        : { results, model: model.identity };
    return { status: 200, body, headers: {}, labels, texts };
  }

  async function handleHttp(request: HttpRequest): Promise<Outcome> {
    const match = matchRoute(request.method, request.path);
    if (match.kind === "preflight") {
      const headers = preflightHeaders(config.cors, request.headers.origin, match.allowedMethods);
      return { status: 204, body: undefined, headers, labels: [], texts: [] };
    }
    if (match.route === "health") {
      const body = request.method === "HEAD" ? undefined : healthResponse(model);
      return { status: 200, body, headers: {}, labels: [], texts: [] };
    }
    checkContentType(request.headers["content-type"]);
    const text = decodeBody(request.rawBody, request.isBase64Encoded, config.limits);
    return predict(parsePredictRequest(parseJsonBody(text), request.query.top, config.limits));
  }

  function failure(error: unknown): Outcome {
    const empty = { labels: [], texts: [] };
    if (error instanceof HttpError) {
      return { ...empty, status: error.status, body: errorBody(error), headers: error.headers, error };
    }
    const internal = internalError();
    const internalMessage = errorMessage(error);
    return {
      ...empty,
      status: 500,
      body: errorBody(internal),
      headers: {},
      error: internal,
      internalMessage,
    };
  }

  function httpResponse(
    outcome: Outcome,
    request: HttpRequest | undefined,
    requestId: string | undefined,
  ): HttpResponse {
    const origin = request?.headers.origin;
    const cors = outcome.status === 204 ? {} : corsHeaders(config.cors, origin);
    return {
      statusCode: outcome.status,
      headers: {
        "content-type": "application/json",
        "cache-control": "no-store",
        ...(requestId !== undefined ? { "x-request-id": requestId } : {}),
        ...cors,
        ...outcome.headers,
      },
      body: outcome.body === undefined ? "" : JSON.stringify(outcome.body),
      isBase64Encoded: false,
    };
  }

  return async function handler(event, context) {
    const started = now();
    const kind = eventKind(event);
    let request: HttpRequest | undefined;
    let outcome: Outcome;
    try {
      const normalized = normalizeEvent(event);
      if (normalized.kind === "direct") {
        outcome = await predict(parsePredictRequest(normalized.payload, undefined, config.limits));
      } else {
        request = normalized;
        outcome = await handleHttp(normalized);
      }
    } catch (error) {
      outcome = failure(error);
    }
    const requestId = request?.requestId ?? context?.awsRequestId;
    try {
      recordRequest(telemetry, {
        requestId,
        eventKind: kind,
        method: request?.method,
        path: request?.path.slice(0, 200),
        status: outcome.status,
        latencyMs: now() - started,
        labels: outcome.labels,
        modelSha256: model.identity.sha256,
        coldStart,
        ...(outcome.error ? { errorCode: outcome.error.code } : {}),
        ...(outcome.internalMessage !== undefined ? { errorMessage: outcome.internalMessage } : {}),
        ...(config.logRequestText ? { texts: outcome.texts } : {}),
      });
    } catch {
      // Telemetry must never turn an answer into a failure.
    }
    coldStart = false;
    if (kind === "direct") return (outcome.body ?? {}) as DirectResponse;
    return httpResponse(outcome, request, requestId);
  };
}
