import type { Stage } from "./stages.js";

/** The alias the API serves and promote/rollback move. */
export const LIVE_ALIAS = "live";
/** Promote tags every digest it deploys with this prefix; the lifecycle policy never expires such images. */
export const DEPLOYED_TAG_PREFIX = "deployed-";
/** build-test-push tags every image it pushes `ck-<content key>`. */
export const CONTENT_KEY_TAG_PREFIX = "ck-";
export const GITHUB_OIDC_ISSUER = "token.actions.githubusercontent.com";
export const STS_AUDIENCE = "sts.amazonaws.com";

export interface ResourceNames {
  stackName: string;
  repositoryName: string;
  functionName: string;
  logGroupName: string;
  apiName: string;
  dashboardName: string;
  pushRoleName: string;
  deployRoleName: string;
  alarmPrefix: string;
  alarms: { errors: string; throttles: string; p99Duration: string };
}

/** Stable physical names: the workflows, promote's canary and a human reading the bill all rely on them. */
export function resourceNames(project: string, stage: Stage): ResourceNames {
  const base = `${project}-${stage}`;
  const alarmPrefix = `${base}-${LIVE_ALIAS}-`;
  return {
    stackName: base,
    repositoryName: base,
    functionName: base,
    logGroupName: `/aws/lambda/${base}`,
    apiName: base,
    dashboardName: base,
    pushRoleName: `${base}-github-push`,
    deployRoleName: `${base}-github-deploy`,
    alarmPrefix,
    alarms: {
      errors: `${alarmPrefix}errors`,
      throttles: `${alarmPrefix}throttles`,
      p99Duration: `${alarmPrefix}p99-duration`,
    },
  };
}
