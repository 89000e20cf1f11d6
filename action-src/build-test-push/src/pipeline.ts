/**
 * The order that makes "tested" mean something: key → reuse if ECR has the key tag → build → test
 * inside the image → push (the key tag appears only now) → read the digest back and compare.
 */
import * as core from "@actions/core";
import type { ECRClient } from "@aws-sdk/client-ecr";
import type { Clock } from "@textcat/action-shared/clock";
import { ActionError } from "@textcat/action-shared/errors";
import { maskSecret } from "@textcat/action-shared/mask";
import { retryAndBackoff } from "@textcat/kit/retry";
import type { StepTimings } from "@textcat/action-shared/timings";
import { collectContent, computeContentKey } from "./content-key.js";
import type { Docker } from "./docker.js";
import type { EcrImage } from "./ecr.js";
import { dockerLogin, findImageByTag, isMultiPlatformIndex, repositoryUri } from "./ecr.js";
import type { Inputs } from "./inputs.js";

export interface PipelineDeps {
  ecr: ECRClient;
  docker: Docker;
  clock: Clock;
  repoRoot: string;
}

export interface PipelineResult {
  contentKey: string;
  tag: string;
  repositoryUri: string;
  digest: string;
  imageUri: string;
  reused: boolean;
}

/** ECR's DescribeImages may lag a fresh push by a moment. */
const READ_BACK = { attempts: 6, baseDelayMs: 500, isRetryable: () => true };

/** The content key, its tag, the repository, and the tested image ECR holds under that tag, if any. */
export interface Lookup {
  contentKey: string;
  tag: string;
  repositoryUri: string;
  found: PipelineResult | undefined;
}

/** Step one alone: reads files and asks ECR, builds nothing (mode "lookup"). */
export async function findTestedImage(
  inputs: Inputs,
  deps: Pick<PipelineDeps, "ecr" | "repoRoot">,
  timings: StepTimings,
): Promise<Lookup> {
  const contentKey = await timings.time("content key", async () =>
    computeContentKey(collectContent(deps.repoRoot, inputs.contentPaths), inputs.baseImage),
  );
  const tag = `${inputs.imageTagPrefix}${contentKey}`;
  const uri = await timings.time("describe repository", () =>
    repositoryUri(deps.ecr, inputs.ecrRepository, inputs.awsRegion),
  );
  const existing = await timings.time("look up tested image", () =>
    findImageByTag(deps.ecr, inputs.ecrRepository, tag),
  );
  if (existing)
    core.info(`ECR already holds a tested image for this content: ${uri}:${tag} → ${existing.digest}`);
  return {
    contentKey,
    tag,
    repositoryUri: uri,
    found: existing ? testedImage(contentKey, tag, uri, existing, true) : undefined,
  };
}

function testedImage(
  contentKey: string,
  tag: string,
  uri: string,
  image: EcrImage,
  reused: boolean,
): PipelineResult {
  if (isMultiPlatformIndex(image.manifestMediaType)) {
    throw new ActionError(
      `${uri}:${tag} is a multi-platform index (${image.manifestMediaType}); Lambda needs a single-platform image`,
    );
  }
  return {
    contentKey,
    tag,
    repositoryUri: uri,
    digest: image.digest,
    imageUri: `${uri}@${image.digest}`,
    reused,
  };
}

export async function buildTestPush(
  inputs: Inputs,
  deps: PipelineDeps,
  timings: StepTimings,
): Promise<PipelineResult> {
  const { contentKey, tag, repositoryUri: uri, found } = await findTestedImage(inputs, deps, timings);
  if (found) return found;
  const result = (image: EcrImage, reused: boolean): PipelineResult =>
    testedImage(contentKey, tag, uri, image, reused);

  const localTag = `textcat-lambda:${tag}`;
  await timings.time("build image", () => deps.docker.build(localTag, inputs.baseImage));
  await timings.time("test inside image", () => deps.docker.test(localTag));

  const login = await timings.time("ECR login", () => dockerLogin(deps.ecr));
  maskSecret(login.token);
  maskSecret(login.password);
  let pushedDigest: string;
  try {
    await deps.docker.login(login.registry, login.username, login.password);
    pushedDigest = await timings.time("push", () => deps.docker.push(localTag, `${uri}:${tag}`));
  } catch (error) {
    const pushedMeanwhile = await findImageByTag(deps.ecr, inputs.ecrRepository, tag).catch(() => undefined);
    if (!pushedMeanwhile) throw error;
    core.notice(`Another run pushed ${tag} while this one built it; using that tested image`);
    return result(pushedMeanwhile, true);
  } finally {
    await deps.docker.logout(login.registry);
  }

  const inEcr = await timings.time("read digest from ECR", () =>
    retryAndBackoff(
      async () => {
        const image = await findImageByTag(deps.ecr, inputs.ecrRepository, tag);
        if (!image) throw new ActionError(`ECR does not list ${uri}:${tag} after the push`);
        return image;
      },
      { ...READ_BACK, sleep: deps.clock.sleep },
    ),
  );
  if (inEcr.digest !== pushedDigest) {
    throw new ActionError(
      `digest mismatch: docker push reported ${pushedDigest}, ECR holds ${inEcr.digest} for ${tag}`,
    );
  }
  return result(inEcr, false);
}
