/**
 * How GitHub really runs these workflows: each test names the documented rule it relies on.
 * (Concurrency rules are in workflows.test.ts, next to the other deploy/rollback wiring tests.)
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { IMAGE_CONTENT_PATHS } from "@textcat/service/image-context";
import { allSteps, localAction, ROOT, workflows } from "./workflow-files.js";

/**
 * The third-party actions, each at a release that runs on node24 (GitHub is removing Node 20 from
 * its runners), with the inputs its action.yml declares at that commit — read from the actions' own
 * repositories: `git show <sha>:action.yml` (runs.using is node24 in all of them).
 */
const PINNED: Record<string, { sha: string; version: string; inputs: string[] }> = {
  "actions/checkout": {
    sha: "3d3c42e5aac5ba805825da76410c181273ba90b1",
    version: "v7.0.1",
    inputs: [
      "repository", "ref", "token", "ssh-key", "ssh-known-hosts", "ssh-strict", "ssh-user",
      "persist-credentials", "path", "clean", "filter", "sparse-checkout", "sparse-checkout-cone-mode",
      "fetch-depth", "fetch-tags", "show-progress", "lfs", "submodules", "set-safe-directory",
      "github-server-url", "allow-unsafe-pr-checkout",
    ], // prettier-ignore
  },
  // v7 differs from v6.5.0 by moving to ESM and adding two outputs (cache-primary-key,
  // cache-matched-key); the inputs are the same.
  "actions/setup-node": {
    sha: "820762786026740c76f36085b0efc47a31fe5020",
    version: "v7.0.0",
    inputs: [
      "node-version", "node-version-file", "architecture", "check-latest", "registry-url", "scope",
      "token", "cache", "package-manager-cache", "cache-dependency-path", "mirror", "mirror-token",
    ], // prettier-ignore
  },
  // mutation.yml's report upload.
  "actions/upload-artifact": {
    sha: "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f",
    version: "v7.0.0",
    inputs: [
      "name", "path", "if-no-files-found", "retention-days", "compression-level", "overwrite",
      "include-hidden-files", "archive",
    ], // prettier-ignore
  },
  "aws-actions/configure-aws-credentials": {
    sha: "e6de054238d6b7531b4efff3b6587d9aade6a06c",
    version: "v6.2.3",
    inputs: [
      "aws-region", "aws-profile", "overwrite-aws-profile", "role-to-assume", "aws-access-key-id",
      "aws-secret-access-key", "aws-session-token", "web-identity-token-file", "role-chaining",
      "audience", "http-proxy", "no-proxy", "mask-aws-account-id", "role-duration-seconds",
      "role-external-id", "role-session-name", "role-skip-session-tagging", "transitive-tag-keys",
      "inline-session-policy", "managed-session-policies", "output-credentials",
      "output-env-credentials", "unset-current-credentials", "disable-retry", "retry-max-attempts",
      "special-characters-workaround", "use-existing-credentials", "allowed-account-ids",
      "force-skip-oidc", "action-timeout-s", "custom-tags", "sts-endpoint",
    ], // prettier-ignore
  },
};

const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const thirdParty = allSteps().filter(({ step }) => step.uses && !step.uses.startsWith("./"));

describe("third-party actions", () => {
  test.each(Object.keys(PINNED))(
    "%s: only the verified node24 commit, with inputs that version has",
    (name) => {
      const uses = thirdParty.filter(({ step }) => step.uses!.startsWith(`${name}@`));
      expect(uses.length).toBeGreaterThan(0);
      const pin = PINNED[name]!;
      for (const { where, step } of uses) {
        expect(step.uses, where).toBe(`${name}@${pin.sha}`);
        const unknown = Object.keys(step.with ?? {}).filter((input) => !pin.inputs.includes(input));
        expect(unknown, where).toEqual([]);
      }
      const lines = allUsesLines().filter((line) => line.includes(`${name}@`));
      for (const line of lines) expect(line).toBe(`uses: ${name}@${pin.sha} # ${pin.version}`);
    },
  );
});

function allUsesLines(): string[] {
  const files = [
    ...Object.keys(workflows).map((f) => `.github/workflows/${f}`),
    ".github/actions/build-test-push/action.yml",
    ".github/actions/promote/action.yml",
    ".github/actions/rollback/action.yml",
    ".github/actions/train-and-commit/action.yml",
  ];
  return files.flatMap((file) =>
    read(file)
      .split("\n")
      .map((line) => line.trim().replace(/^-\s+/, ""))
      .filter((line) => line.startsWith("uses: ")),
  );
}

describe("Dependabot", () => {
  // https://docs.github.com/en/code-security/dependabot/working-with-dependabot/dependabot-options-reference
  const config = parse(read(".github/dependabot.yml")) as {
    updates: Array<{ "package-ecosystem": string; schedule: { interval: string }; groups?: object }>;
  };

  test("updates actions, npm and Docker images weekly, grouped", () => {
    expect(config.updates.map((u) => u["package-ecosystem"]).sort()).toEqual([
      "docker",
      "github-actions",
      "npm",
    ]);
    for (const update of config.updates) {
      expect(update.schedule.interval).toBe("weekly");
      expect(Object.keys(update.groups ?? {}).length).toBeGreaterThan(0);
    }
  });

  // Runs Dependabot starts are treated like a fork's: read-only GITHUB_TOKEN, no Actions secrets,
  // and no OIDC token for AWS, even when someone else re-runs them.
  // https://docs.github.com/en/code-security/dependabot/working-with-dependabot/troubleshooting-dependabot-on-github-actions
  test("a Dependabot PR skips the ECR push (no OIDC) but its image is still built and tested in ci.yml", () => {
    const image = workflows["pr.yml"]!.jobs.image!;
    expect(image.if).toContain("github.event.pull_request.user.login != 'dependabot[bot]'");
    const ci = workflows["ci.yml"]!;
    expect(ci.on).toHaveProperty("pull_request");
    const inImage = ci.jobs.image!;
    expect(inImage.permissions).toBeUndefined(); // the workflow's contents: read, no id-token
    expect(ci.permissions).toEqual({ contents: "read" });
    const runs = inImage.steps.map((s) => s.run ?? "").join("\n");
    expect(runs).toMatch(/^scripts\/ci\/run\.sh (\w+ )*image$/m);
    // The production base, as build-test-push builds it: the digest pinned in service/base-image.pin.
    const script = read("scripts/ci/run.sh");
    expect(script).toMatch(/npm run -s image:build -- .*--base-image pinned/);
    expect(script).toContain("npm run -s image:test -- --image");
  });
});

describe("CI on GitHub-hosted runners", () => {
  const ci = workflows["ci.yml"]!;

  // ubuntu-latest has Docker but no registry: a service container is mapped to the runner's port.
  // https://docs.github.com/en/actions/using-containerized-services/about-service-containers
  test("the test job gets the OCI registry the tests use on 127.0.0.1:5000 from a service container", () => {
    const registry = Object.values(ci.jobs.test!.services ?? {});
    expect(registry).toEqual([{ image: expect.stringMatching(/^registry:/), ports: ["5000:5000"] }]);
  });

  test("every ci.yml job runs scripts/ci/run.sh, the script .ci/run runs, so the two cannot drift", () => {
    expect(read(".ci/run")).toMatch(/scripts\/ci\/run\.sh" all$/m);
    for (const [id, job] of Object.entries(ci.jobs)) {
      const first = job.steps.find((s) => s.run)?.run ?? "";
      expect(first, id).toMatch(/^scripts\/ci\/run\.sh (\w+ )*deps/);
    }
    const parts = Object.values(ci.jobs).flatMap((job) =>
      job.steps.flatMap((s) => /^scripts\/ci\/run\.sh (.*)$/.exec(s.run ?? "")?.[1]?.split(" ") ?? []),
    );
    // Between them the jobs run every part `all` runs (system and services only where tests need them).
    expect(new Set(parts)).toEqual(
      new Set(["system", "node", "services", "deps", "checks", "test", "image"]),
    );
  });

  // With a merge queue, required checks must also run on the queue's branch.
  // https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/configuring-pull-request-merges/managing-a-merge-queue#triggering-merge-group-checks-with-github-actions
  test("the required checks run on merge_group too", () => {
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(["pull_request", "merge_group", "push"]));
  });
});

/** GitHub's path globs, as far as these filters use them: `**` any depth, `*` within a name. */
function matchesPathFilter(path: string, patterns: string[]): boolean {
  return patterns.some((pattern) => {
    const regex = pattern
      .split("**")
      .map((part) => part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*"))
      .join(".*");
    return new RegExp(`^${regex}$`).test(path);
  });
}

describe("a merge deploys in about a minute", () => {
  const deploy = workflows["deploy.yml"]!;
  const paths = (deploy.on.push as { paths: string[] }).paths;

  // https://docs.github.com/en/actions/using-workflows/workflow-syntax-for-github-actions#onpushpull_requestpull_request_targetpathspaths-ignore
  test("a push that changes nothing deployable does not deploy", () => {
    for (const path of [
      "README.md",
      "service/README.md",
      "model/src/train/cv.ts",
      "scripts/test/x.test.ts",
    ]) {
      expect(matchesPathFilter(path, paths), path).toBe(false);
    }
  });

  test("a push changing anything the image or promote uses deploys", () => {
    const samples = IMAGE_CONTENT_PATHS.map((p) => (p.endsWith("/") ? `${p}deep/file.ts` : p));
    const promoteReads = ["model/golden.json", "model/artifacts/metrics.json", "model/artifacts/model.onnx"];
    const machinery = [".github/workflows/deploy.yml", "action-src/promote/dist/index.js"];
    for (const path of [...samples, ...promoteReads, ...machinery]) {
      expect(matchesPathFilter(path, paths), path).toBe(true);
    }
  });

  test("the reuse check runs from the bundle before anything is installed; npm ci only to build", () => {
    const steps = localAction("./.github/actions/build-test-push").runs.steps ?? [];
    const lookup = steps.findIndex(
      (s) => s.uses === "./action-src/build-test-push" && s.with?.mode === "lookup",
    );
    expect(lookup).toBeGreaterThanOrEqual(0);
    const installs = steps
      .map((step, index) => ({ step, index }))
      .filter(
        ({ step }) => step.uses?.startsWith("actions/setup-node@") || /npm (ci|install)/.test(step.run ?? ""),
      );
    expect(installs.length).toBeGreaterThan(0);
    for (const { step, index } of installs) {
      expect(index).toBeGreaterThan(lookup);
      expect(step.if).toBe(`steps.${steps[lookup]!.id}.outputs.reused != 'true'`);
    }
    const build = steps.find((s) => s.uses === "./action-src/build-test-push" && s.with?.mode === "build");
    expect(build?.if).toBe(`steps.${steps[lookup]!.id}.outputs.reused != 'true'`);
  });

  test("deploy.yml installs Node and npm only to re-test a reused digest", () => {
    const installs = Object.values(deploy.jobs)
      .flatMap((job) => job.steps)
      .filter(
        (step) => step.uses?.startsWith("actions/setup-node@") || /npm (ci|install)/.test(step.run ?? ""),
      );
    expect(installs.length).toBeGreaterThan(0);
    for (const step of installs) expect(step.if).toBe("steps.image.outputs.reused == 'true'");
  });
});

describe("a PR cannot plant the image deploy trusts", () => {
  const deploy = workflows["deploy.yml"]!;
  // Any same-repository PR job can write ck-<key>; deploy re-runs main's image tests on that exact digest.
  const job = deploy.jobs.image!;
  const lookup = job.steps.findIndex((s) => s.uses === "./.github/actions/build-test-push");
  const retest = job.steps.findIndex((s) =>
    /npm run -s image:test -- --image "\$IMAGE_URI"/.test(s.run ?? ""),
  );

  test("the image job re-tests a reused digest after the lookup, pulling exactly that digest", () => {
    expect(lookup).toBeGreaterThanOrEqual(0);
    expect(retest).toBeGreaterThan(lookup);
    const id = job.steps[lookup]!.id!;
    const step = job.steps[retest]!;
    expect(step.if).toBe(`steps.${id}.outputs.reused == 'true'`);
    expect(step.env?.IMAGE_URI).toBe(`\${{ steps.${id}.outputs.image-uri }}`);
    expect(step.run).toMatch(/docker pull "\$IMAGE_URI"\n(.*\n)?npm run -s image:test/);
    // "If a job fails or is skipped, all jobs that need it are skipped unless the jobs use a conditional
    // expression that causes the job to continue."
    // https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#jobsjob_idneeds
    expect(step).not.toHaveProperty("continue-on-error");
    expect(job).not.toHaveProperty("continue-on-error");
  });

  test("dev and promote run only after that job succeeded, and deploy the digest it re-tested", () => {
    const { dev, promote } = deploy.jobs;
    expect([dev!.needs].flat()).toContain("image");
    expect(dev!.if).toBe("vars.DEV_FUNCTION_NAME != ''");
    expect(dev!.steps.find((s) => s.uses === "./.github/actions/promote")?.with?.["image-uri"]).toBe(
      "${{ needs.image.outputs.image-uri }}",
    );
    // Skipped with dev (no dev stage) but never after a failed or cancelled ancestor: "If you have a
    // chain of dependent jobs, failure() returns true if any ancestor job fails."
    // https://docs.github.com/en/actions/reference/workflows-and-actions/expressions#failure
    expect([promote!.needs].flat()).toEqual(expect.arrayContaining(["image", "dev"]));
    expect(promote!.if).toBe("${{ !cancelled() && !failure() }}");
    const step = promote!.steps.find((s) => s.uses === "./.github/actions/promote");
    expect(step?.with?.["image-uri"]).toBe(
      "${{ needs.dev.outputs.image-uri || needs.image.outputs.image-uri }}",
    );
    expect(job.outputs?.["image-uri"]).toBe(`\${{ steps.${job.steps[lookup]!.id}.outputs.image-uri }}`);
  });
});

describe("the dataset cache", () => {
  // A run restores caches of its own ref and of the default or base branch only; a PR's cache is
  // readable by that PR alone.
  // https://docs.github.com/en/actions/reference/workflows-and-actions/dependency-caching#restrictions-for-accessing-a-cache
  test("is warmed from main (push and schedule), where every PR can restore it", () => {
    const warming = Object.entries(workflows).filter(([, w]) =>
      Object.values(w.jobs).some((job) =>
        job.steps.some((s) => s.uses === "./action-src/warm-dataset-cache"),
      ),
    );
    expect(warming.map(([file]) => file)).toEqual(["dataset-cache.yml"]);
    const on = warming[0]![1].on as { push?: { branches?: string[] }; schedule?: unknown[] };
    expect(on.push?.branches).toEqual(["main"]);
    expect(on.schedule?.length).toBeGreaterThan(0);
    expect(Object.keys(warming[0]![1].on)).not.toContain("pull_request");
  });
});

describe("private repositories on GitHub Free (no environments)", () => {
  // "Users with GitHub Free plans can only configure environments for public repositories"
  // (https://docs.github.com/actions/reference/environments): no environment variable can hand these
  // jobs the deploy role, so they read the repository variable DEPLOY_ROLE_ARN first.
  const awsSteps = Object.entries(workflows).flatMap(([file, workflow]) =>
    Object.entries(workflow.jobs).flatMap(([id, job]) =>
      job.steps
        .filter((step) => step.with?.["role-to-assume"] !== undefined)
        .map((step) => ({
          where: `${file} ${id}`,
          environment: typeof job.environment === "string" ? job.environment : job.environment?.name,
          role: step.with!["role-to-assume"],
        })),
    ),
  );

  test("the jobs in the production environment assume DEPLOY_ROLE_ARN, falling back to AWS_ROLE_ARN", () => {
    const production = awsSteps.filter(({ environment }) => environment === "production");
    expect(production.map(({ where }) => where).sort()).toEqual([
      "deploy.yml promote",
      "rollback.yml rollback",
    ]);
    for (const { role } of production) expect(role).toBe("${{ vars.DEPLOY_ROLE_ARN || vars.AWS_ROLE_ARN }}");
  });

  test("the dev stage's jobs assume DEV_ROLE_ARN without an environment (their subject is refs/heads/main)", () => {
    const dev = awsSteps.filter(({ role }) => role === "${{ vars.DEV_ROLE_ARN }}");
    expect(dev.map(({ where }) => where).sort()).toEqual(["deploy.yml dev", "rollback.yml rollback-dev"]);
    for (const { environment } of dev) expect(environment).toBeUndefined();
  });

  test("no other job names a deploy role's variable", () => {
    const others = awsSteps.filter(
      ({ environment, role }) => environment === undefined && role !== "${{ vars.DEV_ROLE_ARN }}",
    );
    expect(others.length).toBeGreaterThan(0);
    for (const { role, where } of others) expect(role, where).toBe("${{ vars.AWS_ROLE_ARN }}");
  });
});
