/**
 * AWS's own checks on the stack: cdk-nag's AwsSolutions pack (https://github.com/cdklabs/cdk-nag,
 * RULES.md) runs as a CDK validation plugin on both stages; every finding is either fixed or
 * acknowledged in code, next to the construct, with its reason.
 */
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { describe, expect, it } from "vitest";
import { addTextcatStacks } from "../src/app.js";
import { GITHUB } from "./synth.js";

function nagFindings(context: Record<string, string>): string {
  const app = new App({ context: { github: GITHUB, ...context } });
  addTextcatStacks(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
    return "";
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

describe("cdk-nag AwsSolutions", () => {
  it.each([
    [{ stage: "dev" }],
    [{ stage: "dev", imageStage: "dev" }],
    [{ stage: "prod" }],
    [{ stage: "prod", auth: "iam" }],
    [
      {
        stage: "dev",
        oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
      },
    ],
  ])(
    "%o: no unacknowledged finding",
    (context) => {
      expect(nagFindings(context)).toBe("");
    },
    // the first synth loads aws-cdk-lib and cdk-nag: minutes on a busy machine
    300_000,
  );
});
