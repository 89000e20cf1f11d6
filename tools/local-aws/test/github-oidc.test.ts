import { describe, expect, it } from "vitest";
import {
  githubClaims,
  LocalGithubIssuer,
  subjectClaim,
  type GithubRepository,
} from "../src/iam/github-oidc.js";

const named: GithubRepository = { owner: "octocat", ownerId: "123456", name: "my-repo", id: "456789" };
const immutable: GithubRepository = { ...named, immutableSubject: true };

describe("subjectClaim (GitHub's default subject)", () => {
  it.each([
    [named, { event: "push", ref: "refs/heads/main" }, "repo:octocat/my-repo:ref:refs/heads/main"],
    [named, { event: "pull_request", ref: "refs/pull/1/merge" }, "repo:octocat/my-repo:pull_request"],
    [
      named,
      { event: "push", ref: "refs/heads/main", environment: "production" },
      "repo:octocat/my-repo:environment:production",
    ],
    // The example of "Immutable subject claims": repo:octocat@123456/my-repo@456789:ref:refs/heads/main
    [
      immutable,
      { event: "push", ref: "refs/heads/main" },
      "repo:octocat@123456/my-repo@456789:ref:refs/heads/main",
    ],
    [
      immutable,
      { event: "workflow_dispatch", ref: "refs/heads/main", environment: "production" },
      "repo:octocat@123456/my-repo@456789:environment:production",
    ],
  ] as const)("%o %o → %s", (repository, job, expected) => {
    expect(subjectClaim(repository, { ...job, workflow: ".github/workflows/x.yml" })).toBe(expected);
  });
});

describe("githubClaims and the local issuer", () => {
  it("carries the claims the issue lists, and none for a fork PR", () => {
    const job = {
      event: "push",
      ref: "refs/heads/main",
      environment: "production",
      workflow: ".github/workflows/deploy.yml",
    } as const;
    const claims = githubClaims(named, job, "sts.amazonaws.com", 1000);
    expect(claims).toMatchObject({
      iss: "https://token.actions.githubusercontent.com",
      aud: "sts.amazonaws.com",
      repository: "octocat/my-repo",
      repository_id: "456789",
      repository_owner_id: "123456",
      ref: "refs/heads/main",
      event_name: "push",
      environment: "production",
      job_workflow_ref: "octocat/my-repo/.github/workflows/deploy.yml@refs/heads/main",
      exp: 1300,
    });
    expect(
      githubClaims(named, { ...job, event: "pull_request", fromFork: true }, "sts.amazonaws.com", 0),
    ).toBeUndefined();
  });

  it("verifies its own signatures only", () => {
    const issuer = new LocalGithubIssuer();
    const token = issuer.mint({ sub: "x" });
    expect(issuer.verify(token)).toEqual({ sub: "x" });
    expect(new LocalGithubIssuer().verify(token)).toBeUndefined();
    const [header, , signature] = token.split(".");
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: "y" })).toString("base64url")}.${signature}`;
    expect(issuer.verify(forged)).toBeUndefined();
    expect(issuer.verify("not-a-jwt")).toBeUndefined();
  });
});
