/**
 * The stand-in enforcing the synthesized stack's IAM: STS trust for GitHub-shaped tokens, identity
 * and repository policies on every ECR, Lambda and CloudWatch call, and single permissions removed
 * from the template failing exactly the call that needs them.
 */
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { DescribeAlarmsCommand, CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import {
  BatchGetImageCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  PutImageCommand,
} from "@aws-sdk/client-ecr";
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  GetAliasCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateAliasCommand,
  waitUntilFunctionActiveV2,
} from "@aws-sdk/client-lambda";
import { run } from "@textcat/kit/process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAws, type LocalAws } from "../src/index.js";
import { assumeRoleWithToken, STS_AUDIENCE, type SessionCredentials } from "../src/iam/assume-role.js";
import { githubClaims, type GithubJob, type GithubRepository } from "../src/iam/github-oidc.js";
import { synthStages, withoutAction, type SynthesizedStage } from "../src/iam/synth-stack.js";
import { failure } from "./clients.js";
import { fixtureImage } from "./fixture-image.js";
const ADMIN = "administrator";
const REGION = "us-east-1";
const REPO: GithubRepository = {
  owner: "local",
  ownerId: "1001",
  name: "textcat-lambda",
  id: "2002",
  immutableSubject: true,
};
const JOBS: Record<string, GithubJob> = {
  pr: { event: "pull_request", ref: "refs/pull/1/merge", workflow: ".github/workflows/pr.yml" },
  main: { event: "push", ref: "refs/heads/main", workflow: ".github/workflows/deploy.yml" },
  production: {
    event: "push",
    ref: "refs/heads/main",
    environment: "production",
    workflow: ".github/workflows/deploy.yml",
  },
  fork: {
    event: "pull_request",
    ref: "refs/pull/2/merge",
    workflow: ".github/workflows/pr.yml",
    fromFork: true,
  },
};

let prod: SynthesizedStage;
let imageUri: string;
const project = `it${crypto.randomUUID().slice(0, 6)}`;
const stands: LocalAws[] = [];

async function stand(templates = [prod.template]): Promise<LocalAws> {
  const aws = await startLocalAws({ updateDelayMs: 100, iam: { templates, administratorKey: ADMIN } });
  stands.push(aws);
  return aws;
}

const admin = (aws: LocalAws) => {
  const config = {
    endpoint: aws.endpoint,
    region: REGION,
    maxAttempts: 1,
    credentials: { accessKeyId: ADMIN, secretAccessKey: "x" },
  };
  return { ecr: new ECRClient(config), lambda: new LambdaClient(config) };
};

function token(aws: LocalAws, job: GithubJob, overrides: Record<string, string | number> = {}): string {
  const claims = githubClaims(REPO, job, STS_AUDIENCE, Math.floor(Date.now() / 1000));
  if (!claims) throw new Error("no token for this job");
  return aws.iam!.issuer.mint({ ...claims, ...overrides });
}

const roleArn = (name: string) => `arn:aws:iam::000000000000:role/${name}`;

async function session(aws: LocalAws, job: GithubJob, role: string) {
  const credentials: SessionCredentials = await assumeRoleWithToken(
    aws.endpoint,
    REGION,
    roleArn(role),
    token(aws, job),
  );
  const config = { endpoint: aws.endpoint, region: REGION, maxAttempts: 1, credentials };
  return {
    credentials,
    ecr: new ECRClient(config),
    lambda: new LambdaClient(config),
    cloudwatch: new CloudWatchClient(config),
    sts: new STSClient(config),
  };
}

/** The stack's repository holding a copy of the fixture image; the stack's function on it, alias live → 1. */
async function deployFixture(aws: LocalAws): Promise<void> {
  const { ecr, lambda } = admin(aws);
  await ecr
    .send(new DescribeRepositoriesCommand({ repositoryNames: [prod.names.repositoryName] }))
    .catch(async () => {
      await ecr.send(
        new (await import("@aws-sdk/client-ecr")).CreateRepositoryCommand({
          repositoryName: prod.names.repositoryName,
        }),
      );
    });
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: prod.names.functionName,
      Role: roleArn("fn"),
      PackageType: "Image",
      Code: { ImageUri: imageUri },
    }),
  );
  await waitUntilFunctionActiveV2(
    { client: lambda, maxWaitTime: 60, minDelay: 1 },
    { FunctionName: prod.names.functionName },
  );
  const version = await lambda.send(new PublishVersionCommand({ FunctionName: prod.names.functionName }));
  await lambda.send(
    new CreateAliasCommand({
      FunctionName: prod.names.functionName,
      Name: "live",
      FunctionVersion: version.Version,
    }),
  );
}

beforeAll(async () => {
  [prod] = synthStages(project, ["prod"], {
    github: `${REPO.owner}@${REPO.ownerId}/${REPO.name}@${REPO.id}`,
  }) as [SynthesizedStage];
  const fixture = await fixtureImage("iam");
  // The stack's repository gets the fixture image (docker copies the layers within the registry).
  const target = `127.0.0.1:5000/${prod.names.repositoryName}:fixture`;
  await run("docker", ["pull", "--quiet", fixture.uri], { quiet: true });
  await run("docker", ["tag", fixture.uri, target], { quiet: true });
  await run("docker", ["push", "--quiet", target], { quiet: true });
  imageUri = `127.0.0.1:5000/${prod.names.repositoryName}@${fixture.digest}`;
}, 180_000);
afterAll(async () => {
  for (const aws of stands) await aws.close();
  await run("docker", ["rmi", `127.0.0.1:5000/${prod.names.repositoryName}:fixture`], { quiet: true }).catch(
    () => undefined,
  );
});

describe("STS AssumeRoleWithWebIdentity against the stack's trust policies", () => {
  it("gives a same-repository PR the push role, signed as an assumed-role session", async () => {
    const aws = await stand();
    const pr = await session(aws, JOBS.pr!, prod.names.pushRoleName);
    expect(pr.credentials.accessKeyId).toMatch(/^ASIA/);
    const identity = await pr.sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(
      `arn:aws:sts::000000000000:assumed-role/${prod.names.pushRoleName}/GitHubActions`,
    );
  });

  it("refuses a PR token the deploy role with AWS's AccessDenied", async () => {
    const aws = await stand();
    const refused = await failure(
      assumeRoleWithToken(aws.endpoint, REGION, roleArn(prod.names.deployRoleName), token(aws, JOBS.pr!)),
    );
    expect(refused).toMatchObject({
      name: "AccessDenied",
      status: 403,
      message: "Not authorized to perform sts:AssumeRoleWithWebIdentity",
    });
  });

  it("refuses another repository, another audience, a foreign signature and an expired token", async () => {
    const aws = await stand();
    const push = roleArn(prod.names.pushRoleName);
    const other = token(aws, JOBS.main!, { sub: "repo:someone/textcat-lambda:ref:refs/heads/main" });
    expect(await failure(assumeRoleWithToken(aws.endpoint, REGION, push, other))).toMatchObject({
      name: "AccessDenied",
    });
    const audience = token(aws, JOBS.main!, { aud: "https://github.com/local" });
    expect(await failure(assumeRoleWithToken(aws.endpoint, REGION, push, audience))).toMatchObject({
      name: "AccessDenied",
    });
    const foreign = (await stand()).iam!.issuer.mint(
      githubClaims(REPO, JOBS.main!, STS_AUDIENCE, Math.floor(Date.now() / 1000))!,
    );
    expect(await failure(assumeRoleWithToken(aws.endpoint, REGION, push, foreign))).toMatchObject({
      name: "InvalidIdentityTokenException",
      status: 400,
    });
    const expired = token(aws, JOBS.main!, { exp: Math.floor(Date.now() / 1000) - 60 });
    expect(await failure(assumeRoleWithToken(aws.endpoint, REGION, push, expired))).toMatchObject({
      name: "ExpiredTokenException",
    });
  });

  it("trusts the immutable subject the stack is configured for, not the name form of the same repository", async () => {
    const aws = await stand();
    const push = roleArn(prod.names.pushRoleName);
    const named = token(aws, JOBS.main!, { sub: "repo:local/textcat-lambda:ref:refs/heads/main" });
    expect(await failure(assumeRoleWithToken(aws.endpoint, REGION, push, named))).toMatchObject({
      name: "AccessDenied",
    });
    const recycled = token(aws, JOBS.main!, {
      sub: "repo:local@7777/textcat-lambda@2002:ref:refs/heads/main",
    });
    expect(await failure(assumeRoleWithToken(aws.endpoint, REGION, push, recycled))).toMatchObject({
      name: "AccessDenied",
    });
    expect(await assumeRoleWithToken(aws.endpoint, REGION, push, token(aws, JOBS.main!))).toHaveProperty(
      "sessionToken",
    );
  });

  it("mints no token for a fork PR", () => {
    expect(githubClaims(REPO, JOBS.fork!, STS_AUDIENCE, 0)).toBeUndefined();
  });
});

describe("every call authorized against the caller's role", () => {
  it("a PR job (push role) cannot move the alias; the deploy role can", async () => {
    const aws = await stand();
    await deployFixture(aws);
    const pr = await session(aws, JOBS.pr!, prod.names.pushRoleName);
    const move = { FunctionName: prod.names.functionName, Name: "live", FunctionVersion: "1" };
    const refused = await failure(pr.lambda.send(new UpdateAliasCommand(move)));
    expect(refused).toEqual({
      name: "AccessDeniedException",
      status: 403,
      message: `User: arn:aws:sts::000000000000:assumed-role/${prod.names.pushRoleName}/GitHubActions is not authorized to perform: lambda:UpdateAlias on resource: arn:aws:lambda:us-east-1:000000000000:function:${prod.names.functionName}:live because no identity-based policy allows the lambda:UpdateAlias action`,
    });
    const deploy = await session(aws, JOBS.production!, prod.names.deployRoleName);
    const moved = await deploy.lambda.send(new UpdateAliasCommand(move));
    expect(moved.FunctionVersion).toBe("1");
    expect(aws.iam!.identities.used.get(prod.names.deployRoleName)).toContain("lambda:UpdateAlias");
  });

  it("an unknown access key is UnrecognizedClientException", async () => {
    const aws = await stand();
    const lambda = new LambdaClient({
      endpoint: aws.endpoint,
      region: REGION,
      maxAttempts: 1,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    expect(
      await failure(lambda.send(new GetAliasCommand({ FunctionName: "f", Name: "live" }))),
    ).toMatchObject({
      name: "UnrecognizedClientException",
      status: 403,
    });
  });

  it("Lambda pulls only for the stack's function (the repository policy's aws:SourceArn)", async () => {
    const aws = await stand();
    const refused = await failure(
      admin(aws).lambda.send(
        new CreateFunctionCommand({
          FunctionName: "someone-else",
          Role: roleArn("fn"),
          PackageType: "Image",
          Code: { ImageUri: imageUri },
        }),
      ),
    );
    expect(refused).toMatchObject({ name: "AccessDeniedException", status: 403 });
    expect(refused.message).toContain("Lambda does not have permission to access the ECR image");
  });

  it("the canary's DescribeAlarms (metric and composite) is allowed for the deploy role", async () => {
    const aws = await stand();
    aws.cloudwatch.setAlarm(prod.names.alarms.errors, "OK");
    const deploy = await session(aws, JOBS.production!, prod.names.deployRoleName);
    const alarms = await deploy.cloudwatch.send(
      new DescribeAlarmsCommand({
        AlarmNames: Object.values(prod.names.alarms),
        AlarmTypes: ["MetricAlarm", "CompositeAlarm"],
      }),
    );
    expect(alarms.MetricAlarms?.map((alarm) => alarm.AlarmName)).toEqual([prod.names.alarms.errors]);
    const pr = await session(aws, JOBS.pr!, prod.names.pushRoleName);
    expect(
      await failure(
        pr.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [prod.names.alarms.errors] })),
      ),
    ).toMatchObject({
      name: "AccessDenied",
      status: 403,
    });
  });

  it("a route with no IAM mapping is refused, not allowed", async () => {
    const aws = await stand();
    const response = await fetch(`${aws.endpoint}/2015-03-31/functions/x/policy`, {
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=${ADMIN}/20261201/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0`,
      },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ Message: expect.stringContaining("has no IAM mapping") });
  });
});

describe("one permission removed from the synthesized template", () => {
  it("without the deploy role's lambda:UpdateAlias, moving live is AccessDenied and live stays", async () => {
    const aws = await stand([withoutAction(prod.template, prod.names.deployRoleName, "lambda:UpdateAlias")]);
    await deployFixture(aws);
    const deploy = await session(aws, JOBS.production!, prod.names.deployRoleName);
    const published = await deploy.lambda.send(
      new PublishVersionCommand({ FunctionName: prod.names.functionName, Description: "two" }),
    );
    const refused = await failure(
      deploy.lambda.send(
        new UpdateAliasCommand({
          FunctionName: prod.names.functionName,
          Name: "live",
          FunctionVersion: published.Version,
        }),
      ),
    );
    expect(refused).toMatchObject({ name: "AccessDeniedException", status: 403 });
    expect(refused.message).toContain("lambda:UpdateAlias");
    const live = await deploy.lambda.send(
      new GetAliasCommand({ FunctionName: prod.names.functionName, Name: "live" }),
    );
    expect(live.FunctionVersion).toBe("1");
  });

  it("without the push role's ecr:PutImage, tagging is AccessDenied and everything else still works", async () => {
    const aws = await stand([withoutAction(prod.template, prod.names.pushRoleName, "ecr:PutImage")]);
    await admin(aws).ecr.send(
      new DescribeRepositoriesCommand({ repositoryNames: [prod.names.repositoryName] }),
    );
    const pr = await session(aws, JOBS.pr!, prod.names.pushRoleName);
    const repositoryName = prod.names.repositoryName;
    const image = await pr.ecr.send(
      new BatchGetImageCommand({ repositoryName, imageIds: [{ imageTag: "fixture" }] }),
    );
    const manifest = image.images?.[0]?.imageManifest;
    expect(manifest).toBeDefined();
    const refused = await failure(
      pr.ecr.send(new PutImageCommand({ repositoryName, imageManifest: manifest, imageTag: "ck-planted" })),
    );
    expect(refused).toMatchObject({ name: "AccessDeniedException", status: 400 });
    expect(refused.message).toContain(
      `ecr:PutImage on resource: arn:aws:ecr:us-east-1:000000000000:repository/${repositoryName}`,
    );
  });
});

describe("SigV4: later calls are signed with the credentials STS returned", () => {
  it("refuses a session's call signed with another secret", async () => {
    const aws = await stand();
    const { credentials } = await session(aws, JOBS.pr!, prod.names.pushRoleName);
    const forged = new ECRClient({
      endpoint: aws.endpoint,
      region: REGION,
      maxAttempts: 1,
      credentials: { ...credentials, secretAccessKey: "not-the-secret" },
    });
    const refused = await failure(
      forged.send(new DescribeRepositoriesCommand({ repositoryNames: [prod.names.repositoryName] })),
    );
    expect(refused).toMatchObject({ name: "InvalidSignatureException", status: 403 });
    expect(refused.message).toContain("The request signature we calculated does not match");
  });
});
