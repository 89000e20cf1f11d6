/**
 * The story's event payloads are GitHub's webhook examples with its values, checked against GitHub's
 * webhook schemas; and the actions read from a payload only what those schemas require.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readPullRequest } from "@textcat/action-train-and-commit/pull-request";
import {
  EVENT_SCHEMAS,
  EventPayloadError,
  eventPayload,
  validateEventPayload,
  webhookSchema,
  type EventFacts,
} from "../src/events.js";
import { STORY_REPOSITORY } from "../src/github-jobs.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const HEAD = "a".repeat(40);
const BASE = "b".repeat(40);
const scratch = mkdtempSync(join(tmpdir(), "events-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const FACTS: EventFacts[] = [
  {
    kind: "pull_request_opened",
    number: 7,
    head: { ref: "feature", sha: HEAD },
    base: { ref: "main", sha: BASE },
  },
  {
    kind: "pull_request_synchronize",
    number: 8,
    head: { ref: "f", sha: HEAD, fork: { owner: "someone", ownerId: 5, name: "textcat-lambda", id: 6 } },
    base: { ref: "main", sha: BASE },
    before: BASE,
  },
  { kind: "push", ref: "refs/heads/main", before: BASE, after: HEAD, message: "Merge pull request #7" },
  {
    kind: "workflow_dispatch",
    ref: "refs/heads/main",
    workflow: ".github/workflows/rollback.yml",
    inputs: { "to-version": "3" },
  },
  {
    kind: "merge_group",
    headSha: HEAD,
    headRef: "refs/heads/gh-readonly-queue/main/pr-7-" + BASE,
    baseSha: BASE,
    baseRef: "refs/heads/main",
  },
];

type Json = Record<string, unknown>;

describe("event payloads from GitHub's examples, validated by GitHub's schemas", () => {
  it.each(FACTS.map((facts) => [facts.kind, facts] as const))(
    "%s carries the story's values",
    (_kind, facts) => {
      const payload = eventPayload(STORY_REPOSITORY, facts);
      expect((payload.repository as Json).full_name).toBe("local/textcat-lambda");
      const storyValue = facts.kind === "workflow_dispatch" ? '"inputs":{"to-version":"3"}' : HEAD;
      expect(JSON.stringify(payload)).toContain(storyValue);
      expect(() => validateEventPayload(facts.kind, payload)).not.toThrow();
    },
  );

  it("names the fork as the head repository of a fork PR", () => {
    const payload = eventPayload(STORY_REPOSITORY, FACTS[1]!) as { pull_request: { head: { repo: Json } } };
    expect(payload.pull_request.head.repo).toMatchObject({ full_name: "someone/textcat-lambda", fork: true });
  });

  it("refuses a payload missing a field GitHub always sends", () => {
    const payload = eventPayload(STORY_REPOSITORY, FACTS[0]!) as { pull_request: { head: Json } };
    delete payload.pull_request.head.sha;
    expect(() => validateEventPayload("pull_request_opened", payload)).toThrow(EventPayloadError);
    expect(() => validateEventPayload("pull_request_opened", payload)).toThrow(
      "/pull_request/head must have required property 'sha'",
    );
    const dispatch = eventPayload(STORY_REPOSITORY, FACTS[3]!);
    delete dispatch.workflow;
    expect(() => validateEventPayload("workflow_dispatch", dispatch)).toThrow(
      "must have required property 'workflow'",
    );
  });
});

/** The payload with every property its schema does not require removed, recursively. */
function requiredOnly(schema: Json, node: Json, value: unknown): unknown {
  const resolved = (candidate: Json): Json =>
    typeof candidate.$ref === "string"
      ? resolved((schema.definitions as Json)[candidate.$ref.replace("#/definitions/", "")] as Json)
      : candidate;
  const here = resolved(node);
  if (Array.isArray(value))
    return value.map((item) => requiredOnly(schema, (here.items ?? {}) as Json, item));
  if (value === null || typeof value !== "object") return value;
  const parts = [here, ...((here.allOf as Json[]) ?? []).map(resolved)];
  const alternatives = [...((here.oneOf as Json[]) ?? []), ...((here.anyOf as Json[]) ?? [])].map(resolved);
  const objectAlternative = alternatives.find(
    (alternative) => alternative.type === "object" || alternative.properties,
  );
  if (objectAlternative) parts.push(objectAlternative);
  const required = new Set(parts.flatMap((part) => (part.required as string[]) ?? []));
  const pruned: Json = {};
  for (const key of required) {
    if (!(key in (value as Json))) continue;
    const property = parts.map((part) => (part.properties as Json | undefined)?.[key]).find(Boolean) as Json;
    pruned[key] = requiredOnly(schema, property ?? {}, (value as Json)[key]);
  }
  return pruned;
}

describe("the actions read only what the webhook schemas require", () => {
  it("only train-and-commit's pull-request.ts reads the event payload", () => {
    const readers: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory() && !["node_modules", "dist", "test"].includes(entry.name)) walk(path);
        else if (entry.name.endsWith(".ts")) {
          const text = readFileSync(path, "utf8");
          if (/GITHUB_EVENT_PATH|context\.payload|github\.context/.test(text))
            readers.push(relative(ROOT, path));
        }
      }
    };
    walk(join(ROOT, "action-src"));
    // A new reader of the payload must be added here, with a test like the one below.
    expect(readers).toEqual(["action-src/train-and-commit/src/pull-request.ts"]);
  });

  it.each(["pull_request_opened", "pull_request_synchronize"] as const)(
    "readPullRequest gets everything from a %s payload cut down to its required fields",
    (kind) => {
      const facts = FACTS.find((candidate) => candidate.kind === kind)!;
      const full = eventPayload(STORY_REPOSITORY, facts);
      const definition = (webhookSchema().definitions as Json)[EVENT_SCHEMAS[kind]] as Json;
      const minimal = requiredOnly(webhookSchema(), definition, full) as Json;
      expect(() => validateEventPayload(kind, minimal)).not.toThrow();
      expect(Object.keys((minimal.pull_request as { head: Json }).head).sort()).toEqual([
        "label",
        "ref",
        "repo",
        "sha",
        "user",
      ]);
      const read = (payload: Json) => {
        const path = join(scratch, `${kind}.json`);
        writeFileSync(path, JSON.stringify(payload));
        return readPullRequest({ GITHUB_EVENT_PATH: path, GITHUB_EVENT_NAME: "pull_request" });
      };
      const fromMinimal = read(minimal);
      expect(fromMinimal).toEqual(read(full));
      expect(fromMinimal).toMatchObject({ headSha: HEAD, baseSha: BASE, baseRef: "main" });
    },
  );
});
