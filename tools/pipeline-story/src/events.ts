/**
 * The payloads in GITHUB_EVENT_PATH: GitHub's own webhook examples (@octokit/webhooks-examples) with
 * the story's repository, commits and refs substituted, each validated against GitHub's webhook
 * schemas (@octokit/webhooks-schemas) before a job reads it. "The webhook event payload" is what
 * GITHUB_EVENT_PATH holds (https://docs.github.com/en/actions/reference/workflows-and-actions/variables,
 * "GITHUB_EVENT_PATH"), so the examples and schemas of the webhooks are the payloads' shapes.
 */
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

const require = createRequire(import.meta.url);

type Json = Record<string, unknown>;

export const EVENT_SCHEMAS = {
  pull_request_opened: "pull_request$opened",
  pull_request_synchronize: "pull_request$synchronize",
  push: "push$event",
  workflow_dispatch: "workflow_dispatch$event",
  merge_group: "merge_group$checks_requested",
} as const;

export type EventKind = keyof typeof EVENT_SCHEMAS;

export interface StoryRepository {
  owner: string;
  ownerId: number;
  name: string;
  id: number;
}

/** What the story knows about the event; the rest of the payload is GitHub's example. */
export type EventFacts =
  | {
      kind: "pull_request_opened" | "pull_request_synchronize";
      number: number;
      head: { ref: string; sha: string; fork?: StoryRepository };
      base: { ref: string; sha: string };
      /** synchronize: the head before the push. */
      before?: string;
      author?: string;
    }
  | { kind: "push"; ref: string; before: string; after: string; message: string }
  | { kind: "workflow_dispatch"; ref: string; workflow: string; inputs: Record<string, string> }
  | { kind: "merge_group"; headSha: string; headRef: string; baseSha: string; baseRef: string };

export class EventPayloadError extends Error {}

let schemas: { ajv: Ajv; schema: Json } | undefined;

function validatorFor(definition: string): ValidateFunction {
  if (!schemas) {
    const schema = require("@octokit/webhooks-schemas") as Json;
    const ajv = new Ajv({ strict: false, allErrors: true });
    (addFormatsModule as unknown as (ajv: Ajv) => void)(ajv);
    ajv.addSchema(schema, "webhooks");
    schemas = { ajv, schema };
  }
  const validate = schemas.ajv.getSchema(`webhooks#/definitions/${definition}`);
  if (!validate) throw new EventPayloadError(`@octokit/webhooks-schemas has no definition ${definition}`);
  return validate;
}

/** The schema definition of an event kind, for tests that look inside it. */
export function webhookSchema(): Json {
  validatorFor(EVENT_SCHEMAS.push);
  return schemas!.schema;
}

/** Fails with the schema's own words when a payload is not one GitHub would send. */
export function validateEventPayload(kind: EventKind, payload: Json): void {
  const validate = validatorFor(EVENT_SCHEMAS[kind]);
  if (validate(payload)) return;
  const problems = (validate.errors ?? [])
    .slice(0, 5)
    .map((error) => `${error.instancePath || "/"} ${error.message ?? ""}`.trim());
  throw new EventPayloadError(
    `the ${kind} payload does not match @octokit/webhooks-schemas ${EVENT_SCHEMAS[kind]}: ${problems.join("; ")}`,
  );
}

const EXAMPLE_EVENT: Record<EventKind, { name: string; action?: string; fits?: (payload: Json) => boolean }> =
  {
    pull_request_opened: { name: "pull_request", action: "opened" },
    pull_request_synchronize: { name: "pull_request", action: "synchronize" },
    // A branch push with commits (the tag-push examples have no head_commit).
    push: {
      name: "push",
      fits: (payload) => String(payload.ref).startsWith("refs/heads/") && !!payload.head_commit,
    },
    workflow_dispatch: { name: "workflow_dispatch" },
    merge_group: { name: "merge_group", action: "checks_requested" },
  };

/** The first of GitHub's examples of that event that its schema accepts (some older ones lack newer fields). */
function example(kind: EventKind): Json {
  const groups = require("@octokit/webhooks-examples") as Array<{ name: string; examples: Json[] }>;
  const { name, action, fits = () => true } = EXAMPLE_EVENT[kind];
  const validate = validatorFor(EVENT_SCHEMAS[kind]);
  const found = groups
    .find((group) => group.name === name)
    ?.examples.find(
      (candidate) => (!action || candidate.action === action) && fits(candidate) && validate(candidate),
    );
  if (!found) throw new EventPayloadError(`@octokit/webhooks-examples has no valid ${kind} example`);
  return structuredClone(found);
}

const EXAMPLE_REPOSITORY = "Codertocat/Hello-World";

function withRepository(payload: Json, repository: StoryRepository): Json {
  const full = `${repository.owner}/${repository.name}`;
  const replaced = JSON.parse(JSON.stringify(payload).split(EXAMPLE_REPOSITORY).join(full)) as Json;
  setRepository(replaced.repository as Json, repository);
  return replaced;
}

function setRepository(target: Json, repository: StoryRepository): void {
  Object.assign(target, {
    id: repository.id,
    name: repository.name,
    full_name: `${repository.owner}/${repository.name}`,
  });
  Object.assign(target.owner as Json, { login: repository.owner, id: repository.ownerId });
}

/** The event payload of one story event, validated against its webhook schema. */
export function eventPayload(repository: StoryRepository, facts: EventFacts): Json {
  const payload = withRepository(example(facts.kind), repository);
  switch (facts.kind) {
    case "pull_request_opened":
    case "pull_request_synchronize": {
      const pr = payload.pull_request as Json;
      const head = pr.head as Json;
      const base = pr.base as Json;
      payload.number = facts.number;
      pr.number = facts.number;
      Object.assign(head, { ref: facts.head.ref, sha: facts.head.sha });
      Object.assign(base, { ref: facts.base.ref, sha: facts.base.sha });
      head.repo = structuredClone(payload.repository);
      base.repo = structuredClone(payload.repository);
      if (facts.head.fork) {
        setRepository(head.repo as Json, facts.head.fork);
        (head.repo as Json).fork = true;
        head.label = `${facts.head.fork.owner}:${facts.head.ref}`;
      } else {
        head.label = `${repository.owner}:${facts.head.ref}`;
      }
      if (facts.author) (pr.user as Json).login = facts.author;
      if (facts.kind === "pull_request_synchronize")
        Object.assign(payload, { before: facts.before ?? facts.base.sha, after: facts.head.sha });
      break;
    }
    case "push": {
      Object.assign(payload, { ref: facts.ref, before: facts.before, after: facts.after });
      Object.assign(payload.head_commit as Json, { id: facts.after, message: facts.message });
      payload.commits = [payload.head_commit];
      break;
    }
    case "workflow_dispatch":
      Object.assign(payload, { ref: facts.ref, workflow: facts.workflow, inputs: facts.inputs });
      break;
    case "merge_group":
      Object.assign(payload.merge_group as Json, {
        head_sha: facts.headSha,
        head_ref: facts.headRef,
        base_sha: facts.baseSha,
        base_ref: facts.baseRef,
      });
      Object.assign((payload.merge_group as Json).head_commit as Json, { id: facts.headSha });
      break;
  }
  validateEventPayload(facts.kind, payload);
  return payload;
}

/** GITHUB_EVENT_NAME of an event kind. */
export const eventName = (kind: EventKind): string => EXAMPLE_EVENT[kind].name;
