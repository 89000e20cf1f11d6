/**
 * What actionlint cannot see: it checks each workflow alone, so these tests check how the workflows,
 * the composite actions in .github/actions and the JavaScript actions in action-src fit together —
 * inputs passed exist, outputs read are produced, actions are pinned, permissions are least.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  allSteps,
  AWS_COMPOSITES,
  COMPOSITES_DIR,
  compositeNames,
  localAction,
  ROOT,
  WORKFLOWS_DIR,
  workflowFiles,
  workflows,
} from "./workflow-files.js";
import { MAX_CANARY_MINUTES } from "@textcat/action-promote/canary-guard";
import { jobPermissions } from "@textcat/pipeline-story/workflow-files";

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
  test.each(compositeNames)(
    "%s wraps the action-src action of that name and exposes all of its outputs",
    (name) => {
      const composite = localAction(`./.github/actions/${name}`);
      const inner = localAction(`./action-src/${name}`);
      expect(inner.runs).toMatchObject({ using: "node24", main: "dist/index.js" });
      expect(existsSync(join(ROOT, "action-src", name, "dist", "index.js"))).toBe(true);
      const innerIds = (composite.runs.steps ?? [])
        .filter((s) => s.uses === `./action-src/${name}`)
        .map((s) => s.id);
      expect(innerIds.length).toBeGreaterThan(0);
      expect(innerIds.every(Boolean)).toBe(true);
      expect(Object.keys(composite.outputs ?? {}).sort()).toEqual(Object.keys(inner.outputs ?? {}).sort());
      for (const [output, { value }] of Object.entries(composite.outputs ?? {})) {
        // One wrapped step, or the first non-empty of several (a build step that may be skipped).
        const read = innerIds.map((id) => `steps.${id}.outputs.${output}`);
        const alternatives = String(value)
          .replace(/^\$\{\{ | \}\}$/g, "")
          .split(" || ");
        expect(alternatives.length).toBeGreaterThan(0);
        for (const alternative of alternatives) expect(read).toContain(alternative);
      }
    },
  );

  test.each(compositeNames)("%s gets AWS credentials by OIDC only when it talks to AWS", (name) => {
    const steps = localAction(`./.github/actions/${name}`).runs.steps ?? [];
    const credentials = steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    const usesAws = AWS_COMPOSITES.includes(`./.github/actions/${name}`);
    expect(Boolean(credentials)).toBe(usesAws);
    const inputs = Object.keys(credentials?.with ?? {});
    expect(inputs.includes("role-to-assume")).toBe(usesAws);
    expect(inputs.filter((k) => /secret|access-key/.test(k))).toEqual([]);
  });
});

describe("workflows", () => {
  const jobs = Object.entries(workflows).flatMap(([file, workflow]) =>
    Object.entries(workflow.jobs).map(([id, job]) => ({ file, id, job, workflow })),
  );

  test.each(jobs)("$file:$id has least permissions", ({ id, job, workflow }) => {
    expect(job.permissions ?? workflow.permissions, "explicit permissions").toBeDefined();
    // per scope, as the story grants them: jobPermissions throws for read-all/write-all
    const permissions = jobPermissions(workflow, id);
    const usesAws = job.steps.some((s) => AWS_COMPOSITES.includes(s.uses ?? ""));
    expect(permissions["id-token"] === "write").toBe(usesAws);
    const trains = job.steps.some((s) => s.uses === "./.github/actions/train-and-commit");
    const opensPr = job.steps.some((s) => s.run?.includes("gh pr create"));
    expect(permissions.contents === "write").toBe(trains || opensPr);
    expect(permissions["pull-requests"] === "write").toBe(trains || opensPr);
    const deploys = job.steps.some((s) =>
      ["./.github/actions/promote", "./.github/actions/rollback"].includes(s.uses ?? ""),
    );
    expect(permissions.deployments === "write").toBe(deploys);
    const setsStatus = job.steps.some(
      (s) =>
        ["./.github/actions/train-and-commit", "./.github/actions/build-test-push"].includes(s.uses ?? "") ||
        /gh api "repos\/\$\{GITHUB_REPOSITORY\}\/statuses\//.test(s.run ?? ""),
    );
    expect(permissions.statuses === "write").toBe(setsStatus);
    // one deployment record per deploy or rollback: the action's, not also GitHub's for the job. The dev
    // stage's jobs run without an environment (their subject is refs/heads/main), so GitHub records none.
    const role = job.steps.find((s) => s.with?.["role-to-assume"])?.with?.["role-to-assume"];
    const production = deploys && role !== "${{ vars.DEV_ROLE_ARN }}";
    expect(job.environment).toEqual(production ? { name: "production", deployment: false } : undefined);
  });

  test.each(jobs)("$file:$id reads only outputs that exist", ({ job, workflow }) => {
    const text = JSON.stringify(job);
    for (const [, needed, output] of text.matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      expect(Object.keys(workflow.jobs[needed!]?.outputs ?? {}), `needs.${needed}`).toContain(output);
    }
    const stepIds = new Map(job.steps.filter((s) => s.id).map((s) => [s.id!, s]));
    const unknownOutputs: string[] = [];
    for (const [reference, stepId, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      const step = stepIds.get(stepId!);
      expect(step, `steps.${stepId}`).toBeDefined();
      const uses = step?.uses;
      if (uses?.startsWith("./") && !Object.keys(localAction(uses).outputs ?? {}).includes(output!))
        unknownOutputs.push(reference);
    }
    expect(unknownOutputs).toEqual([]);
  });

  // GitHub keeps one pending run per concurrency group and cancels it when a newer run joins the
  // group (https://docs.github.com/actions/using-jobs/using-concurrency). Deploys share a group so
  // they run in push order and the newest main always runs last; a rollback must not be in it, or
  // the next merge cancels a pending rollback and a deploy waiting for approval blocks it.
  test("deploys queue in their own group, never cancelling a running one", () => {
    const deploy = workflows["deploy.yml"]!;
    expect(deploy.concurrency).toEqual({ group: "production-deploy", "cancel-in-progress": false });
    for (const job of Object.values(deploy.jobs)) expect(job.concurrency).toBeUndefined();
  });

  test("a rollback shares no concurrency group with anything, so nothing cancels or blocks it", () => {
    const rollback = workflows["rollback.yml"]!;
    expect(rollback.concurrency).toBeUndefined();
    for (const job of Object.values(rollback.jobs)) expect(job.concurrency).toBeUndefined();
  });

  test("deploy promotes only the digest build-test-push output (tested, or reused because tested)", () => {
    const { image, dev, promote } = workflows["deploy.yml"]!.jobs;
    expect(image!.steps.map((s) => s.uses)).toContain("./.github/actions/build-test-push");
    const devStep = dev!.steps.find((s) => s.uses === "./.github/actions/promote");
    expect(dev!.needs).toEqual(["image", "gate"]);
    expect(devStep?.with).toMatchObject({
      "image-uri": "${{ needs.image.outputs.image-uri }}",
      "function-name": "${{ vars.DEV_FUNCTION_NAME }}",
      environment: "dev",
    });
    expect(dev!.if).toBe("vars.DEV_FUNCTION_NAME != ''");
    // production gets the very digest dev serves (promote's image-uri output), or the tested one without dev
    expect(dev!.outputs).toEqual({ "image-uri": `\${{ steps.${devStep!.id}.outputs.image-uri }}` });
    const promoteStep = promote!.steps.find((s) => s.uses === "./.github/actions/promote");
    expect(promote!.needs).toEqual(["image", "gate", "dev"]);
    expect(promoteStep?.with).toMatchObject({
      "image-uri": "${{ needs.dev.outputs.image-uri || needs.image.outputs.image-uri }}",
      "function-name": "${{ vars.FUNCTION_NAME }}",
    });
  });

  test("the PR image is built from the commit the train job pushed, in the same run", () => {
    const { image } = workflows["pr.yml"]!.jobs;
    expect(image!.needs).toEqual(["changes", "train"]);
    const checkout = image!.steps.find((s) => s.uses?.startsWith("actions/checkout@"));
    expect(String(checkout?.with?.ref)).toContain("needs.train.outputs.commit-sha");
  });

  test("base-image runs weekly and on demand, and opens its PR with the App token when there is one", () => {
    const workflow = workflows["base-image.yml"]!;
    expect(Object.keys(workflow.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(workflow.on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* [0-6]$/) }]);
    const steps = workflow.jobs.update!.steps;
    const app = steps.find((s) => s.uses?.startsWith("actions/create-github-app-token@"));
    expect(app?.if).toBe("vars.TEXTCAT_APP_CLIENT_ID != ''");
    const pin = steps.find((s) => s.run?.includes("base-image:update"));
    const pr = steps.find((s) => s.run?.includes("gh pr create"));
    expect(steps.indexOf(pin!)).toBeLessThan(steps.indexOf(pr!));
    expect(pr?.if).toBe(`steps.${pin!.id}.outputs.changed == 'true'`);
    expect(pr?.env?.GH_TOKEN).toBe(`\${{ steps.${app!.id}.outputs.token || github.token }}`);
    const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkout?.with).toMatchObject({ "persist-credentials": false });
  });

  test("deploy promotes only artifacts the quality gate passed (gate-check in mode deploy)", () => {
    const { gate, promote } = workflows["deploy.yml"]!.jobs;
    expect(gate!.steps.find((s) => s.uses === "./action-src/gate-check")?.with).toEqual({ mode: "deploy" });
    expect(promote!.needs).toContain("gate");
  });

  test("the retrained commit's statuses carry exactly ci.yml's job names (what branch protection requires)", () => {
    const ciNames = Object.values(workflows["ci.yml"]!.jobs).map((job) => job.name);
    const matrix = workflows["pr.yml"]!.jobs["pushed-checks"]!.strategy!.matrix.check as Array<{
      name: string;
    }>;
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

  test("rollback is a button with an optional target version, on prod unless dev is chosen", () => {
    const rollback = workflows["rollback.yml"]!;
    expect(rollback.on).toEqual({
      workflow_dispatch: {
        inputs: {
          stage: {
            description: expect.any(String),
            required: true,
            type: "choice",
            options: ["prod", "dev"],
            default: "prod",
          },
          "to-version": expect.objectContaining({ required: false, type: "string" }),
        },
      },
    });
    const byStage = Object.values(rollback.jobs).map((job) => [
      job.if,
      job.steps.find((s) => s.uses === "./.github/actions/rollback")?.with?.["function-name"],
    ]);
    expect(byStage).toEqual([
      ["inputs.stage == 'prod'", "${{ vars.FUNCTION_NAME }}"],
      ["inputs.stage == 'dev'", "${{ vars.DEV_FUNCTION_NAME }}"],
    ]);
  });
});
