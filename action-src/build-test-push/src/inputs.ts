import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { PinError, pinnedReference, readPinFile } from "@textcat/service/base-image-pin";
import { isEcrRepositoryName, resolveRegion } from "@textcat/action-shared/aws";
import { InputError } from "@textcat/action-shared/errors";
import { errorMessage } from "@textcat/kit/errors";
import { readList, readString } from "@textcat/action-shared/inputs";

/**
 * "build": reuse the tested image for the content key, else build, test and push it.
 * "lookup": only look for that image (outputs reused=false when there is none); needs nothing
 * installed, so a caller runs setup-node and `npm ci` only when an image must be built.
 */
export type Mode = "build" | "lookup";
const MODES: readonly Mode[] = ["build", "lookup"];

/** The action's inputs, named as in action.yml (whose defaults the runner fills in). */
export interface Inputs {
  mode: Mode;
  ecrRepository: string;
  imageTagPrefix: string;
  /** As given; "" = the reference in baseImagePin (see resolveBaseImage). */
  baseImage: string;
  /** Repository-relative path of the base image pin. */
  baseImagePin: string;
  /** As given; [] = the list in contentList (see resolveContentPaths). */
  contentPaths: string[];
  /** Repository-relative JSON list of what enters the image. */
  contentList: string;
  awsRegion: string;
  githubToken: string;
}

/** The tag must stay a valid Docker tag once the 64 hex digits are appended (≤ 128 characters). */
const TAG_PREFIX = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

export function readInputs(env: NodeJS.ProcessEnv = process.env): Inputs {
  const mode = readString("mode");
  if (!MODES.includes(mode as Mode)) {
    throw new InputError(`Input "mode" must be one of ${MODES.join(", ")}, got "${mode}"`);
  }
  const ecrRepository = readString("ecr-repository", { required: true });
  if (!isEcrRepositoryName(ecrRepository)) {
    throw new InputError(
      `Input "ecr-repository" must be an ECR repository name like "textcat-lambda", got "${ecrRepository}"`,
    );
  }
  const imageTagPrefix = readString("image-tag-prefix");
  if (!TAG_PREFIX.test(imageTagPrefix)) {
    throw new InputError(
      `Input "image-tag-prefix" must be a Docker tag prefix (letters, digits, _ . -), got "${imageTagPrefix}"`,
    );
  }
  const baseImage = readString("base-image");
  if (/\s/.test(baseImage))
    throw new InputError(`Input "base-image" must be an image reference, got "${baseImage}"`);
  const baseImagePin = readString("base-image-pin");
  if (isAbsolute(baseImagePin) || baseImagePin.split(/[\\/]/).includes("..")) {
    throw new InputError(
      `Input "base-image-pin" must be a path inside the repository, got "${baseImagePin}"`,
    );
  }
  const contentPaths = readList("content-paths");
  const contentList = readString("content-list");
  if (contentPaths.length === 0 && !contentList) {
    throw new InputError('Input "content-paths" lists no paths and "content-list" names no list');
  }
  return {
    mode: mode as Mode,
    ecrRepository,
    imageTagPrefix,
    baseImage,
    baseImagePin,
    contentPaths,
    contentList,
    awsRegion: resolveRegion(readString("aws-region"), env),
    githubToken: readString("github-token"),
  };
}

/**
 * The base image to build FROM and to hash into the content key: the `base-image` input when given, else the
 * digest-pinned reference in the pin file of the commit being built, so a PR that moves the pin builds and
 * tests a new image under a new key.
 */
export function resolveBaseImage(inputs: Inputs, repoRoot: string): string {
  if (inputs.baseImage) return inputs.baseImage;
  try {
    return pinnedReference(readPinFile(join(repoRoot, inputs.baseImagePin)));
  } catch (error) {
    if (error instanceof PinError) throw new InputError(error.message, { cause: error });
    throw error;
  }
}

/** The paths whose bytes make up the content key: `content-paths` when given, else the JSON list in `content-list`. */
export function resolveContentPaths(inputs: Inputs, repoRoot: string): string[] {
  if (inputs.contentPaths.length > 0) return inputs.contentPaths;
  const source = `Input "content-list" (${inputs.contentList})`;
  let list: unknown;
  try {
    list = JSON.parse(readFileSync(join(repoRoot, inputs.contentList), "utf8"));
  } catch (error) {
    throw new InputError(`${source} is not a readable JSON file: ${errorMessage(error)}`, { cause: error });
  }
  if (!Array.isArray(list) || list.length === 0 || !list.every((path) => typeof path === "string" && path)) {
    throw new InputError(`${source} must be a non-empty JSON list of paths`);
  }
  return list as string[];
}
