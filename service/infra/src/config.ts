import { STAGES, STAGE_DEFAULTS, type Stage, type StageDefaults } from "./stages.js";

export type AuthConfig =
  { mode: "none" } | { mode: "iam" } | { mode: "jwt"; issuer: string; audience: string[] };

/** A stable URL for the stage: API Gateway custom domain, and optionally its Route 53 alias record. */
export interface CustomDomainConfig {
  domainName: string;
  certificateArn: string;
  /** Undefined: point the domain at the regional target yourself (CNAME at another DNS provider). */
  hostedZone: { id: string; name: string } | undefined;
}

/** A stage's defaults, after context overrides, plus what only context or the stage name gives. */
export interface InfraConfig extends StageDefaults {
  stage: Stage;
  /**
   * The stage whose stack owns the one ECR repository (and the push role) every stage deploys from, so
   * that dev and prod serve byte-for-byte the same digest. Default prod; `-c imageStage=dev` gives a
   * dev stage deployed on its own a repository.
   */
  imageStage: Stage;
  project: string;
  owner: string;
  github: GithubRepository;
  account: string | undefined;
  region: string | undefined;
  oidcProviderArn: string | undefined;
  auth: AuthConfig;
  /** Off (undefined) unless -c domainName=... -c certificateArn=... */
  customDomain: CustomDomainConfig | undefined;
}

/**
 * The repository whose workflows may assume the roles, and the form of the OIDC subject its tokens carry.
 * "immutable": `repo:<owner>@<owner id>/<repo>@<repo id>:…`, the default subject of repositories created
 * or renamed on or after July 15, 2026 (https://github.com/github/docs/pull/45221, "Immutable subject
 * claims"; ids are never reused, so a recycled name cannot match). "name": `repo:<owner>/<repo>:…`, what
 * older repositories send until an admin opts them in.
 */
export type GithubRepository =
  | { owner: string; repo: string; subject: "immutable"; ownerId: string; repoId: string }
  | { owner: string; repo: string; subject: "name" };

/** Bad context: the message names the key and the expected form, for a one-line CLI error. */
export class InfraConfigError extends Error {
  override name = "InfraConfigError";
}

export type ContextReader = (key: string) => unknown;

/** CloudWatch Logs accepts only these retention periods. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 3653];
const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;
const GITHUB_REPO = /^[A-Za-z0-9._-]{1,100}$/;
const TAG_VALUE = /^[\w.:/=+@ -]{1,256}$/;
const PROJECT = /^[a-z][a-z0-9-]{1,19}$/;
const GITHUB_ENVIRONMENT = /^[A-Za-z0-9._-]{1,255}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** Lowercase DNS name with at least two labels, each 1-63 characters, no trailing dot. */
const HOSTNAME = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const ACM_CERTIFICATE_ARN =
  /^arn:aws[a-z-]*:acm:([a-z]{2}(?:-[a-z]+)+-\d):\d{12}:certificate\/[0-9a-f-]{36}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
const OIDC_PROVIDER_ARN =
  /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

export function readInfraConfig(context: ContextReader): InfraConfig {
  const stage = readStage(context("stage"));
  const defaults = STAGE_DEFAULTS[stage];
  const github = readGithub(context("github"), context("githubSubject"));
  const int = (key: string, fallback: number, min: number, max: number): number =>
    readInt(key, context(key), fallback, min, max);
  const region = readOptionalMatching("region", context("region"), REGION, "an AWS region");
  const reservedConcurrency = readReservedConcurrency(
    context("reservedConcurrency"),
    defaults.reservedConcurrency,
  );
  const provisionedConcurrency = int("provisionedConcurrency", defaults.provisionedConcurrency, 0, 5_000);
  checkProvisioned(provisionedConcurrency, reservedConcurrency);
  return {
    stage,
    imageStage: readStage(context("imageStage"), "imageStage", "prod"),
    project: readMatching("project", context("project"), "textcat", PROJECT, "lowercase letters, digits, -"),
    owner:
      readOptionalMatching("owner", context("owner"), TAG_VALUE, "a tag value (letters, digits, _.:/=+-@)") ??
      github.owner,
    github,
    githubEnvironment: readMatching(
      "githubEnvironment",
      context("githubEnvironment"),
      defaults.githubEnvironment,
      GITHUB_ENVIRONMENT,
      "a GitHub environment name",
    ),
    trustMainBranch: readBoolean("trustMainBranch", context("trustMainBranch"), defaults.trustMainBranch),
    account: readOptionalMatching("account", context("account"), /^\d{12}$/, "a 12-digit AWS account id"),
    region,
    oidcProviderArn: readOptionalMatching(
      "oidcProviderArn",
      context("oidcProviderArn"),
      OIDC_PROVIDER_ARN,
      "the ARN of the account's token.actions.githubusercontent.com provider",
    ),
    memoryMb: int("memoryMb", defaults.memoryMb, 128, 10_240),
    timeoutSeconds: int("timeoutSeconds", defaults.timeoutSeconds, 1, 29),
    reservedConcurrency,
    provisionedConcurrency,
    throttleRateLimit: int("throttleRate", defaults.throttleRateLimit, 1, 10_000),
    throttleBurstLimit: int("throttleBurst", defaults.throttleBurstLimit, 1, 5_000),
    logRetentionDays: readLogRetention(context("logRetentionDays"), defaults.logRetentionDays),
    imageExpiryDays: int("imageExpiryDays", defaults.imageExpiryDays, 1, 3650),
    p99DurationAlarmMs: int("p99DurationAlarmMs", defaults.p99DurationAlarmMs, 1, 900_000),
    corsOrigins: readOrigins(context("corsOrigins"), defaults.corsOrigins),
    auth: readAuth(context),
    customDomain: readCustomDomain(context, region),
    retainLogs: defaults.retainLogs,
  };
}

function readStage(value: unknown, key = "stage", fallback: Stage = "dev"): Stage {
  const stage = readString(key, value) ?? fallback;
  if (!(STAGES as readonly string[]).includes(stage)) {
    throw new InfraConfigError(`context ${key} must be one of ${STAGES.join(", ")}, got "${stage}"`);
  }
  return stage as Stage;
}

const GITHUB_ID = /^[1-9]\d{0,19}$/;
const FIND_IDS = "gh api repos/<owner>/<repo> --jq '\"\\(.owner.login)@\\(.owner.id)/\\(.name)@\\(.id)\"'";

/** `<owner>/<repo>` or `<owner>@<owner id>/<repo>@<repo id>`, and which subject form the roles trust. */
function readGithub(value: unknown, subjectValue: unknown): GithubRepository {
  const text = readString("github", value);
  if (text === undefined) {
    throw new InfraConfigError(
      "context github is required: -c github=<owner>@<owner id>/<repo>@<repo id> (the repository whose workflows may deploy)",
    );
  }
  const form = `<owner>@<owner id>/<repo>@<repo id> (or <owner>/<repo> with -c githubSubject=name), got "${text}"`;
  const [ownerPart, repoPart, ...rest] = text.split("/");
  if (ownerPart === undefined || repoPart === undefined || rest.length > 0)
    throw new InfraConfigError(`context github must be ${form}`);
  const [owner = "", ownerId, ...ownerRest] = ownerPart.split("@");
  const [repo = "", repoId, ...repoRest] = repoPart.split("@");
  const validIds =
    (ownerId === undefined) === (repoId === undefined) && ownerRest.length + repoRest.length === 0;
  if (!validIds || !GITHUB_OWNER.test(owner) || !GITHUB_REPO.test(repo) || repo === "." || repo === "..")
    throw new InfraConfigError(`context github must be ${form}`);
  if (ownerId !== undefined && (!GITHUB_ID.test(ownerId) || !GITHUB_ID.test(repoId ?? "")))
    throw new InfraConfigError(`context github: owner and repository ids are numbers, got "${text}"`);
  const subject = readString("githubSubject", subjectValue) ?? "immutable";
  if (subject === "name") {
    if (ownerId !== undefined)
      throw new InfraConfigError("context githubSubject=name takes github=<owner>/<repo> without ids");
    return { owner, repo, subject };
  }
  if (subject !== "immutable")
    throw new InfraConfigError(`context githubSubject must be immutable or name, got "${subject}"`);
  if (ownerId === undefined || repoId === undefined) {
    throw new InfraConfigError(
      `context github needs the ids of the immutable OIDC subject: -c github=<owner>@<owner id>/<repo>@<repo id> (find them with: ${FIND_IDS}); a repository that still sends repo:<owner>/<repo>:… subjects adds -c githubSubject=name`,
    );
  }
  return { owner, repo, subject, ownerId, repoId };
}

function readString(key: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new InfraConfigError(`context ${key} must be a string`);
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

function readMatching(key: string, value: unknown, fallback: string, pattern: RegExp, form: string): string {
  return readOptionalMatching(key, value, pattern, form) ?? fallback;
}

function readOptionalMatching(
  key: string,
  value: unknown,
  pattern: RegExp,
  form: string,
): string | undefined {
  const text = readString(key, value);
  if (text !== undefined && !pattern.test(text)) {
    throw new InfraConfigError(`context ${key} must be ${form}, got "${text}"`);
  }
  return text;
}

/**
 * `trustMainBranch=true` for prod is the setup for private repositories on GitHub Free, which have no
 * environments ("Users with GitHub Free plans can only configure environments for public repositories",
 * https://docs.github.com/actions/reference/environments): the deploy role then also trusts jobs on main.
 */
function readBoolean(key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null || value === "") return fallback;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw new InfraConfigError(`context ${key} must be true or false, got ${JSON.stringify(value)}`);
}

function readInt(key: string, value: unknown, fallback: number, min: number, max: number): number {
  return value === undefined || value === null || value === "" ? fallback : toInt(key, value, min, max);
}

function toInt(key: string, value: unknown, min: number, max: number): number {
  const number = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new InfraConfigError(
      `context ${key} must be an integer from ${min} to ${max}, got "${String(value)}"`,
    );
  }
  return number;
}

function readReservedConcurrency(value: unknown, fallback: number | undefined): number | undefined {
  if (value === "none") return undefined;
  if (value === undefined || value === "") return fallback;
  return toInt("reservedConcurrency", value, 1, 10_000);
}

/**
 * During a promote both the old and the new version hold their provisioned concurrency, and "You can't
 * allocate more provisioned concurrency than reserved concurrency for a function"; when it "adds up to the
 * function's reserved concurrency, all invocations run on provisioned concurrency" and $LATEST is
 * throttled (https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html). So twice the
 * amount must stay below the reserved concurrency.
 */
function checkProvisioned(provisioned: number, reserved: number | undefined): void {
  if (provisioned > 0 && reserved !== undefined && 2 * provisioned >= reserved) {
    throw new InfraConfigError(
      `context provisionedConcurrency=${provisioned} needs reservedConcurrency above ${2 * provisioned} ` +
        `(old and new version both hold it during a promote), got ${reserved}`,
    );
  }
}

function readLogRetention(value: unknown, fallback: number): number {
  const days = readInt("logRetentionDays", value, fallback, 1, 3653);
  if (!LOG_RETENTION_DAYS.includes(days)) {
    throw new InfraConfigError(`context logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(", ")}`);
  }
  return days;
}

function readList(key: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value;
  if (typeof value !== "string") throw new InfraConfigError(`context ${key} must be a comma-separated list`);
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function readOrigins(value: unknown, fallback: string[]): string[] {
  if (value === "none") return [];
  const origins = readList("corsOrigins", value) ?? fallback;
  for (const origin of origins) {
    if (origin !== "*" && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new InfraConfigError(
        `context corsOrigins: "${origin}" is not * or an origin like https://example.com`,
      );
    }
  }
  return origins;
}

function readAuth(context: ContextReader): AuthConfig {
  const mode = readString("auth", context("auth")) ?? "none";
  if (mode === "none" || mode === "iam") return { mode };
  if (mode !== "jwt") throw new InfraConfigError(`context auth must be none, iam or jwt, got "${mode}"`);
  const issuer = readOptionalMatching(
    "jwtIssuer",
    context("jwtIssuer"),
    /^https:\/\/\S+$/,
    "an https:// issuer URL",
  );
  const audience = readList("jwtAudience", context("jwtAudience")) ?? [];
  if (issuer === undefined || audience.length === 0) {
    throw new InfraConfigError(
      "auth=jwt needs -c jwtIssuer=https://... and -c jwtAudience=<client id>[,...]",
    );
  }
  return { mode, issuer, audience };
}

/**
 * Both or neither of domainName and certificateArn; the hosted zone only with them, and the domain inside it.
 * A regional custom domain needs an ACM certificate in the API's own region:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-regional-api-custom-domain-create.html
 * ("This certificate must be in the same Region as your API").
 */
function readCustomDomain(
  context: ContextReader,
  region: string | undefined,
): CustomDomainConfig | undefined {
  const domainName = readOptionalMatching(
    "domainName",
    context("domainName"),
    HOSTNAME,
    "a lowercase DNS name",
  );
  const certificateArn = readOptionalMatching(
    "certificateArn",
    context("certificateArn"),
    ACM_CERTIFICATE_ARN,
    "an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)",
  );
  const zoneId = readOptionalMatching(
    "hostedZoneId",
    context("hostedZoneId"),
    HOSTED_ZONE_ID,
    "a Route 53 hosted zone id",
  );
  const zoneName = readOptionalMatching(
    "hostedZoneName",
    context("hostedZoneName"),
    HOSTNAME,
    "a lowercase DNS name",
  );
  if (domainName === undefined && certificateArn === undefined) {
    if (zoneId !== undefined || zoneName !== undefined) {
      throw new InfraConfigError(
        "context hostedZoneId/hostedZoneName need -c domainName=... -c certificateArn=...",
      );
    }
    return undefined;
  }
  if (domainName === undefined || certificateArn === undefined) {
    throw new InfraConfigError(
      "a custom domain needs both -c domainName=<host> and -c certificateArn=<ACM ARN>",
    );
  }
  const certificateRegion = ACM_CERTIFICATE_ARN.exec(certificateArn)?.[1];
  if (region !== undefined && certificateRegion !== region) {
    throw new InfraConfigError(
      `context certificateArn is in ${certificateRegion ?? "?"}, but a regional custom domain needs a certificate in the API's region ${region}`,
    );
  }
  if ((zoneId === undefined) !== (zoneName === undefined)) {
    throw new InfraConfigError(
      "context hostedZoneId and hostedZoneName go together (the zone's id and its DNS name)",
    );
  }
  if (zoneName !== undefined && domainName !== zoneName && !domainName.endsWith(`.${zoneName}`)) {
    throw new InfraConfigError(
      `context domainName "${domainName}" is not inside hostedZoneName "${zoneName}"`,
    );
  }
  const hostedZone =
    zoneId !== undefined && zoneName !== undefined ? { id: zoneId, name: zoneName } : undefined;
  return { domainName, certificateArn, hostedZone };
}
