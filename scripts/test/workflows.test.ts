/**
 * What actionlint cannot see: it checks each workflow alone, so these tests check how the workflows,
 * the composite actions in .github/actions and the JavaScript actions in action-src fit together —
 * inputs passed exist, outputs read are produced, actions are pinned, permissions are least.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { MAX_CANARY_MINUTES } from "../../action-src/promote/src/canary-guard.js";

const ROOT = join(import.meta.dirname, "..", "..");
const WORKFLOWS_DIR = join(ROOT, ".github", "workflows");
const COMPOSITES_DIR = join(ROOT, ".github", "actions");

interface ActionInput {
  required?: boolean;
  default?: unknown;
}
interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface ActionFile {
  inputs?: Record<string, ActionInput>;
  outputs?: Record<string, { value?: string }>;
  runs: { using: string; main?: string; steps?: Step[] };
}
interface Job {
  name?: string;
  "timeout-minutes"?: number;
  strategy?: { matrix: { check: Array<{ name: string; run: string }> } };
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  environment?: { name: string; deployment?: boolean } | string;
  outputs?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, Job>;
}

const readYaml = <T>(path: string): T => parse(readFileSync(path, "utf8")) as T;
const workflowFiles = readdirSync(WORKFLOWS_DIR).filter((f) => f.endsWith(".yml"));
const workflows = Object.fromEntries(
  workflowFiles.map((f) => [f, readYaml<Workflow>(join(WORKFLOWS_DIR, f))]),
);
const compositeNames = readdirSync(COMPOSITES_DIR);
const AWS_COMPOSITES = [
  "./.github/actions/build-test-push",
  "./.github/actions/promote",
  "./.github/actions/rollback",
];

function localAction(uses: string): ActionFile {
  const path = join(ROOT, uses, "action.yml");
  if (!existsSync(path)) throw new Error(`${uses}: no action.yml`);
  return readYaml<ActionFile>(path);
}

/** Every step of every job and composite, with where it is. */
function allSteps(): Array<{ where: string; step: Step }> {
  const steps: Array<{ where: string; step: Step }> = [];
  for (const [file, workflow] of Object.entries(workflows)) {
    for (const [jobId, job] of Object.entries(workflow.jobs)) {
      for (const step of job.steps) steps.push({ where: `${file}:${jobId}`, step });
    }
  }
  for (const name of compositeNames) {
    for (const step of localAction(`./.github/actions/${name}`).runs.steps ?? []) {
      steps.push({ where: `.github/actions/${name}`, step });
    }
  }
  return steps;
}

describe("actions used", () => {
  const files = [
    ...workflowFiles.map((f) => join(WORKFLOWS_DIR, f)),
    ...compositeNames.map((n) => join(COMPOSITES_DIR, n, "action.yml")),
  ];
  const usesLines = files.flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => /^\s*(-\s+)?uses:/.test(line))
      .map((line) => ({ file, line: line.trim() })),
  );

  test("third-party actions are pinned by full commit SHA with a version comment", () => {
    const thirdParty = usesLines.filter(({ line }) => !line.includes("uses: ./"));
    expect(thirdParty.length).toBeGreaterThan(0);
    for (const { file, line } of thirdParty) {
      expect(line, file).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/);
    }
  });

  test.each(allSteps().filter(({ step }) => step.uses?.startsWith("./")))(
    "$where uses $step.uses with inputs it declares (and every required one)",
    ({ step }) => {
      const action = localAction(step.uses!);
      const declared = Object.keys(action.inputs ?? {});
      const given = Object.keys(step.with ?? {});
      expect(given.filter((name) => !declared.includes(name))).toEqual([]);
      const required = Object.entries(action.inputs ?? {})
        .filter(([, input]) => input.required && input.default === undefined)
        .map(([name]) => name);
      expect(required.filter((name) => !given.includes(name))).toEqual([]);
    },
  );
});

describe("composite actions", () => {
  test.each(compositeNames)("%s wraps action-src/%s and exposes all of its outputs", (name) => {
    const composite = localAction(`./.github/actions/${name}`);
    const inner = localAction(`./action-src/${name}`);
    expect(inner.runs).toMatchObject({ using: "node24", main: "dist/index.js" });
    expect(existsSync(join(ROOT, "action-src", name, "dist", "index.js"))).toBe(true);
    const step = composite.runs.steps?.find((s) => s.uses === `./action-src/${name}`);
    expect(step?.id).toBeTruthy();
    expect(Object.keys(composite.outputs ?? {}).sort()).toEqual(Object.keys(inner.outputs ?? {}).sort());
    for (const [output, { value }] of Object.entries(composite.outputs ?? {})) {
      expect(value).toBe(`\${{ steps.${step!.id}.outputs.${output} }}`);
    }
  });

  test.each(compositeNames)("%s gets AWS credentials by OIDC only when it talks to AWS", (name) => {
    const steps = localAction(`./.github/actions/${name}`).runs.steps ?? [];
    const credentials = steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    const usesAws = AWS_COMPOSITES.includes(`./.github/actions/${name}`);
    expect(Boolean(credentials)).toBe(usesAws);
    if (credentials) {
      expect(Object.keys(credentials.with ?? {})).toContain("role-to-assume");
      expect(Object.keys(credentials.with ?? {}).filter((k) => /secret|access-key/.test(k))).toEqual([]);
    }
  });
});

describe("workflows", () => {
  const jobs = Object.entries(workflows).flatMap(([file, workflow]) =>
    Object.entries(workflow.jobs).map(([id, job]) => ({ file, id, job, workflow })),
  );

  test.each(jobs)("$file:$id has least permissions", ({ job, workflow }) => {
    const permissions = job.permissions ?? workflow.permissions;
    expect(permissions, "explicit permissions").toBeDefined();
    const usesAws = job.steps.some((s) => AWS_COMPOSITES.includes(s.uses ?? ""));
    expect(permissions!["id-token"] === "write").toBe(usesAws);
    const trains = job.steps.some((s) => s.uses === "./.github/actions/train-and-commit");
    expect(permissions!.contents === "write").toBe(trains);
    const deploys = job.steps.some((s) =>
      ["./.github/actions/promote", "./.github/actions/rollback"].includes(s.uses ?? ""),
    );
    expect(permissions!.deployments === "write").toBe(deploys);
    const setsStatus = job.steps.some(
      (s) =>
        ["./.github/actions/train-and-commit", "./.github/actions/build-test-push"].includes(s.uses ?? "") ||
        /gh api "repos\/\$\{GITHUB_REPOSITORY\}\/statuses\//.test(s.run ?? ""),
    );
    expect(permissions!.statuses === "write").toBe(setsStatus);
    // one deployment record per deploy or rollback: the action's, not also GitHub's for the job
    if (deploys) expect(job.environment).toEqual({ name: "production", deployment: false });
  });

  test.each(jobs)("$file:$id reads only outputs that exist", ({ job, workflow }) => {
    const text = JSON.stringify(job);
    for (const [, needed, output] of text.matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      expect(Object.keys(workflow.jobs[needed!]?.outputs ?? {}), `needs.${needed}`).toContain(output);
    }
    const stepIds = new Map(job.steps.filter((s) => s.id).map((s) => [s.id!, s]));
    for (const [, stepId, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      const step = stepIds.get(stepId!);
      expect(step, `steps.${stepId}`).toBeDefined();
      if (step?.uses?.startsWith("./"))
        expect(Object.keys(localAction(step.uses).outputs ?? {})).toContain(output);
    }
  });

  test("deploy and rollback share one concurrency group and never cancel a running one", () => {
    const deploy = workflows["deploy.yml"]!.concurrency;
    const rollback = workflows["rollback.yml"]!.concurrency;
    expect(deploy).toEqual({ group: expect.any(String), "cancel-in-progress": false });
    expect(rollback).toEqual(deploy);
  });

  test("deploy promotes only the digest build-test-push output (tested, or reused because tested)", () => {
    const { image, promote } = workflows["deploy.yml"]!.jobs;
    expect(image!.steps.map((s) => s.uses)).toContain("./.github/actions/build-test-push");
    const promoteStep = promote!.steps.find((s) => s.uses === "./.github/actions/promote");
    expect(promote!.needs).toEqual(["image", "gate"]);
    expect(promoteStep?.with).toMatchObject({ "image-uri": "${{ needs.image.outputs.image-uri }}" });
  });

  test("the PR image is built from the commit the train job pushed, in the same run", () => {
    const { image } = workflows["pr.yml"]!.jobs;
    expect(image!.needs).toEqual(["changes", "train"]);
    const checkout = image!.steps.find((s) => s.uses?.startsWith("actions/checkout@"));
    expect(String(checkout?.with?.ref)).toContain("needs.train.outputs.commit-sha");
  });

  test("deploy promotes only artifacts the quality gate passed (gate-check in mode deploy)", () => {
    const { gate, promote } = workflows["deploy.yml"]!.jobs;
    expect(gate!.steps.find((s) => s.uses === "./action-src/gate-check")?.with).toEqual({ mode: "deploy" });
    expect(promote!.needs).toContain("gate");
  });

  test("the retrained commit's statuses carry exactly ci.yml's job names (what branch protection requires)", () => {
    const ciNames = Object.values(workflows["ci.yml"]!.jobs).map((job) => job.name);
    const matrix = workflows["pr.yml"]!.jobs["pushed-checks"]!.strategy!.matrix.check;
    expect(matrix.map((check) => check.name).sort()).toEqual([...ciNames].sort());
  });

  test("the train job persists no credentials and pushes with the App token when there is one", () => {
    const { train } = workflows["pr.yml"]!.jobs;
    const checkout = train!.steps.find((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkout?.with?.["persist-credentials"]).toBe(false);
    const trainStep = train!.steps.find((s) => s.uses === "./.github/actions/train-and-commit");
    expect(trainStep?.with?.["push-token"]).toBe("${{ steps.app-token.outputs.token }}");
  });

  test("the longest canary fits in the promote job, whose credentials outlast it", () => {
    // promote's post step restores the alias on cancel or timeout, but the canary must end first by
    // design: 10 minutes for the rest of promote; the OIDC session lasts 1 hour (configure-aws-credentials).
    const timeout = workflows["deploy.yml"]!.jobs.promote!["timeout-minutes"]!;
    expect(timeout).toBeGreaterThanOrEqual(MAX_CANARY_MINUTES + 10);
    expect(timeout).toBeLessThanOrEqual(60);
  });

  test("rollback is a button with an optional target version", () => {
    expect(workflows["rollback.yml"]!.on).toEqual({
      workflow_dispatch: {
        inputs: { "to-version": expect.objectContaining({ required: false, type: "string" }) },
      },
    });
  });
});
