/**
 * Two stages, one repository (service/infra imageStage): the dev function runs the digest pushed to prod's
 * repository, the dev job's role reads and tags it there, and neither the dev job's token nor its role
 * reaches production.
 */
import { BatchGetImageCommand, ECRClient } from "@aws-sdk/client-ecr";
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateAliasCommand,
  waitUntilFunctionActiveV2,
} from "@aws-sdk/client-lambda";
import { run } from "@textcat/kit/process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAws, type LocalAws } from "@textcat/local-aws";
import { assumeRoleWithToken, STS_AUDIENCE } from "@textcat/local-aws/assume-role";
import { githubClaims } from "@textcat/local-aws/github-oidc";
import { synthStages, type SynthesizedStage } from "@textcat/local-aws/synth-stack";
import { JOBS, LOCAL_REPOSITORY, type AttackerJob } from "../src/github-jobs.js";
import { failure } from "@textcat/local-aws/testing/clients";
import { fixtureImage } from "@textcat/local-aws/testing/fixture-image";
const ADMIN = "administrator";
const REGION = "us-east-1";
const project = `ts${crypto.randomUUID().slice(0, 6)}`;
let dev: SynthesizedStage;
let prod: SynthesizedStage;
let aws: LocalAws;
let imageUri: string;
let digest: string;

const config = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => ({
  endpoint: aws.endpoint,
  region: REGION,
  maxAttempts: 1,
  credentials,
});
const admin = () => config({ accessKeyId: ADMIN, secretAccessKey: "x" });
const roleArn = (name: string) => `arn:aws:iam::000000000000:role/${name}`;

/**
 * The job's token (as GitHub mints it for that job) exchanged for a session of the named role;
 * `devPromotesProd` carries the claims of deploy.yml's `dev` job (push to main, no environment).
 */
async function as(job: AttackerJob, roleName: string) {
  const claims = githubClaims(
    LOCAL_REPOSITORY,
    JOBS[job].github,
    STS_AUDIENCE,
    Math.floor(Date.now() / 1000),
  );
  const token = aws.iam!.issuer.mint(claims!);
  const credentials = await assumeRoleWithToken(aws.endpoint, REGION, roleArn(roleName), token);
  return { ecr: new ECRClient(config(credentials)), lambda: new LambdaClient(config(credentials)) };
}

async function createLive(functionName: string): Promise<void> {
  const lambda = new LambdaClient(admin());
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: functionName,
      Role: roleArn("fn"),
      PackageType: "Image",
      Code: { ImageUri: imageUri },
    }),
  );
  await waitUntilFunctionActiveV2(
    { client: lambda, maxWaitTime: 60, minDelay: 1 },
    { FunctionName: functionName },
  );
  const version = await lambda.send(new PublishVersionCommand({ FunctionName: functionName }));
  await lambda.send(
    new CreateAliasCommand({ FunctionName: functionName, Name: "live", FunctionVersion: version.Version }),
  );
}

beforeAll(async () => {
  [dev, prod] = synthStages(project, ["dev", "prod"], {
    github: `${LOCAL_REPOSITORY.owner}@${LOCAL_REPOSITORY.ownerId}/${LOCAL_REPOSITORY.name}@${LOCAL_REPOSITORY.id}`,
  }) as [SynthesizedStage, SynthesizedStage];
  const fixture = await fixtureImage("two-stages");
  const target = `127.0.0.1:5000/${prod.names.repositoryName}:fixture`;
  await run("docker", ["pull", "--quiet", fixture.uri], { quiet: true });
  await run("docker", ["tag", fixture.uri, target], { quiet: true });
  await run("docker", ["push", "--quiet", target], { quiet: true });
  digest = fixture.digest;
  imageUri = `127.0.0.1:5000/${prod.names.repositoryName}@${digest}`;
  aws = await startLocalAws({
    updateDelayMs: 100,
    iam: { templates: [dev.template, prod.template], administratorKey: ADMIN },
  });
  // The push above created the repository in the registry the stand-in serves ECR from.
  await createLive(prod.names.functionName);
}, 300_000);
afterAll(async () => {
  await aws?.close();
  await run("docker", ["rmi", `127.0.0.1:5000/${prod.names.repositoryName}:fixture`], { quiet: true }).catch(
    () => undefined,
  );
});

describe("dev and prod deploy one digest from one repository", () => {
  it("the dev stack names prod's repository and creates none of its own", () => {
    expect(aws.iam!.identities.model.repositoryPolicies.has(dev.names.repositoryName)).toBe(false);
    expect(aws.iam!.identities.model.repositoryPolicies.has(prod.names.repositoryName)).toBe(true);
  });

  it("Lambda pulls the digest in prod's repository for the dev function too", async () => {
    // Before, prod's repository policy named only the prod function: this was "Lambda does not have
    // permission to access the ECR image".
    await expect(createLive(dev.names.functionName)).resolves.toBeUndefined();
  }, 120_000);

  it("the dev job's role reads the image in prod's repository and moves dev's alias", async () => {
    const devJob = await as("devPromotesProd", dev.names.deployRoleName);
    const images = await devJob.ecr.send(
      new BatchGetImageCommand({
        repositoryName: prod.names.repositoryName,
        imageIds: [{ imageDigest: digest }],
      }),
    );
    expect(images.images?.[0]?.imageId?.imageDigest).toBe(digest);
    const moved = await devJob.lambda.send(
      new UpdateAliasCommand({ FunctionName: dev.names.functionName, Name: "live", FunctionVersion: "1" }),
    );
    expect(moved.FunctionVersion).toBe("1");
  });

  it("the dev job's role cannot touch the prod function", async () => {
    const devJob = await as("devPromotesProd", dev.names.deployRoleName);
    const refused = await failure(
      devJob.lambda.send(
        new UpdateAliasCommand({ FunctionName: prod.names.functionName, Name: "live", FunctionVersion: "1" }),
      ),
    );
    expect(refused).toMatchObject({ name: "AccessDeniedException", status: 403 });
    expect(refused.message).toContain(
      `assumed-role/${dev.names.deployRoleName}/GitHubActions is not authorized to perform: lambda:UpdateAlias on resource: arn:aws:lambda:us-east-1:000000000000:function:${prod.names.functionName}:live`,
    );
  });

  it("the dev job's token (push to main, no environment) is refused by the prod deploy role", async () => {
    const refused = await failure(as("devAsProdDeployer", prod.names.deployRoleName));
    expect(refused).toMatchObject({ name: "AccessDenied" });
    expect(refused.message).toBe("Not authorized to perform sts:AssumeRoleWithWebIdentity");
  });
});
