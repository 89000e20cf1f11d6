/** promote's inputs, read once and named like action.yml. */
import { isEcrRepositoryName } from "@textcat/action-shared/aws";
import { InputError } from "@textcat/action-shared/errors";
import { readList, readNumber, readString } from "@textcat/action-shared/inputs";
import { readAliasName, readFunctionName } from "@textcat/action-shared/release/names";
import { MAX_CANARY_MINUTES } from "./canary-guard.js";
import type { PinnedImage } from "./image-ref.js";
import { contentKeyTag, parseDigest, parsePinnedImageUri } from "./image-ref.js";

export type ImageSource =
  | { kind: "image-uri"; image: PinnedImage }
  | { kind: "digest"; digest: string }
  | { kind: "content-key"; tag: string };

export interface Inputs {
  functionName: string;
  alias: string;
  image: ImageSource;
  ecrRepository: string;
  goldenRequests: string;
  gitSha: string;
  modelSha256: string;
  /** Percent of the alias's traffic sent to the new version during the canary; 0 = no canary. */
  canaryWeight: number;
  canaryMinutes: number;
  alarmNames: string[];
  /** Environments kept initialized for the new version before the switch; 0 = none. */
  provisionedConcurrency: number;
  awsRegion: string;
  githubToken: string;
  environment: string;
  /** The stage's CloudWatch dashboard (stack output DashboardUrl), linked from the job summary; "" = none. */
  dashboardUrl: string;
}

/** An https URL that can sit in an HTML attribute unescaped: no quotes, angle brackets or spaces. */
const DASHBOARD_URL = /^https:\/\/[^\s"'<>]+$/;

function readImageSource(ecrRepository: string): ImageSource {
  const given = {
    digest: readString("digest"),
    "image-uri": readString("image-uri"),
    "content-key": readString("content-key"),
  };
  const named = Object.entries(given).filter(([, value]) => value !== "");
  if (named.length !== 1) {
    const which = named.length === 0 ? "none was given" : `got ${named.map(([name]) => name).join(" and ")}`;
    throw new InputError(`Give exactly one of the inputs "digest", "image-uri", "content-key"; ${which}`);
  }
  if (given["image-uri"])
    return { kind: "image-uri", image: parsePinnedImageUri(given["image-uri"], "image-uri") };
  if (given.digest) return { kind: "digest", digest: parseDigest(given.digest, "digest") };
  if (!ecrRepository) throw new InputError(`Input "ecr-repository" is required with "content-key"`);
  return { kind: "content-key", tag: contentKeyTag(given["content-key"], "content-key") };
}

export function readInputs(): Inputs {
  const ecrRepository = readString("ecr-repository");
  if (ecrRepository && !isEcrRepositoryName(ecrRepository)) {
    throw new InputError(`Input "ecr-repository" is not an ECR repository name: "${ecrRepository}"`);
  }
  const gitSha = readString("git-sha") || (process.env.GITHUB_SHA ?? "");
  if (gitSha && !/^[0-9a-f]{7,40}$/.test(gitSha))
    throw new InputError(`Input "git-sha" is not a commit SHA: "${gitSha}"`);
  const modelSha256 = readString("model-sha256");
  if (modelSha256 && !/^[0-9a-f]{64}$/.test(modelSha256)) {
    throw new InputError(`Input "model-sha256" must be 64 hex characters, got "${modelSha256}"`);
  }
  const canaryWeight = readNumber("canary-weight", { min: 0, max: 99 });
  const dashboardUrl = readString("dashboard-url");
  if (dashboardUrl && !DASHBOARD_URL.test(dashboardUrl)) {
    throw new InputError(`Input "dashboard-url" must be an https:// URL, got "${dashboardUrl}"`);
  }
  return {
    functionName: readFunctionName(),
    alias: readAliasName(),
    image: readImageSource(ecrRepository),
    ecrRepository,
    goldenRequests: readString("golden-requests"),
    gitSha,
    modelSha256,
    canaryWeight,
    canaryMinutes: readNumber("canary-minutes", { min: 0, max: MAX_CANARY_MINUTES }),
    alarmNames: readList("alarm-names"),
    provisionedConcurrency: readNumber("provisioned-concurrency", {
      min: 0,
      max: 10_000,
      integer: true,
    }),
    awsRegion: readString("aws-region"),
    githubToken: readString("github-token"),
    environment: readString("environment"),
    dashboardUrl,
  };
}
