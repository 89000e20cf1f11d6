import { resolveRegion } from "../../shared/src/aws.js";
import { InputError } from "../../shared/src/errors.js";
import { readList, readString } from "../../shared/src/inputs.js";

/**
 * "build": reuse the tested image for the content key, else build, test and push it.
 * "lookup": only look for that image (outputs reused=false when there is none); needs nothing
 * installed, so a caller runs setup-node and `npm ci` only when an image must be built.
 */
export type Mode = "build" | "lookup";
const MODES: readonly Mode[] = ["build", "lookup"];

/** The action's inputs, named as in action.yml; defaults mirror action.yml. */
export interface Inputs {
  mode: Mode;
  ecrRepository: string;
  imageTagPrefix: string;
  baseImage: string;
  contentPaths: string[];
  awsRegion: string;
  githubToken: string;
}

/** What the Docker build context holds (see service/scripts/image-context.ts). */
export const DEFAULT_CONTENT_PATHS = [
  "package.json",
  "package-lock.json",
  ".npmrc",
  "service/Dockerfile",
  "service/build/",
  "service/src/",
  "model/src/contract.ts",
  "model/artifacts/model.onnx",
];

/** ECR repository names: lowercase, digits, . _ - and / separated path components. */
const ECR_REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
/** The tag must stay a valid Docker tag once the 64 hex digits are appended (≤ 128 characters). */
const TAG_PREFIX = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

export function parseInputs(env: NodeJS.ProcessEnv = process.env): Inputs {
  const mode = readString("mode", { fallback: "build" });
  if (!MODES.includes(mode as Mode)) {
    throw new InputError(`Input "mode" must be one of ${MODES.join(", ")}, got "${mode}"`);
  }
  const ecrRepository = readString("ecr-repository", { required: true });
  const looksLikeUri = ecrRepository.includes(".dkr.ecr.") || ecrRepository.includes(":");
  if (looksLikeUri || !ECR_REPOSITORY_NAME.test(ecrRepository) || ecrRepository.length > 256) {
    throw new InputError(
      `Input "ecr-repository" must be an ECR repository name like "textcat-lambda", got "${ecrRepository}"`,
    );
  }
  const imageTagPrefix = readString("image-tag-prefix", { fallback: "ck-" });
  if (!TAG_PREFIX.test(imageTagPrefix)) {
    throw new InputError(
      `Input "image-tag-prefix" must be a Docker tag prefix (letters, digits, _ . -), got "${imageTagPrefix}"`,
    );
  }
  const baseImage = readString("base-image", { fallback: "public.ecr.aws/lambda/nodejs:22" });
  if (/\s/.test(baseImage))
    throw new InputError(`Input "base-image" must be an image reference, got "${baseImage}"`);
  const contentPaths = readList("content-paths", DEFAULT_CONTENT_PATHS);
  if (contentPaths.length === 0) throw new InputError('Input "content-paths" lists no paths');
  return {
    mode: mode as Mode,
    ecrRepository,
    imageTagPrefix,
    baseImage,
    contentPaths,
    awsRegion: resolveRegion(readString("aws-region"), env),
    githubToken: readString("github-token"),
  };
}
