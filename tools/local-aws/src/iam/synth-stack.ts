/**
 * The stack of service/infra synthesized in-process (what `npm run infra:synth` writes), for the
 * stand-in to enforce: same constructs, this run's project name so its resources are its own.
 */
import { App } from "aws-cdk-lib";
import { addTextcatStacks } from "@textcat/infra/app";
import { resourceNames } from "@textcat/infra/names";
import type { Stage } from "@textcat/infra/stages";
import type { CfnTemplate } from "./template-model.js";

export interface SynthesizedStage {
  stage: Stage;
  template: CfnTemplate;
  names: ReturnType<typeof resourceNames>;
}

/** One template per stage; `context` adds or overrides CDK context (github, githubSubject, …). */
export function synthStages(
  project: string,
  stages: Stage[],
  context: Record<string, string> = {},
): SynthesizedStage[] {
  const app = new App({ context: { project, stage: stages.join(","), ...context } });
  const stacks = addTextcatStacks(app);
  const assembly = app.synth();
  return stacks.map((stack, index) => {
    const stage = stages[index]!;
    return {
      stage,
      template: assembly.getStackByName(stack.stackName).template as CfnTemplate,
      names: resourceNames(project, stage),
    };
  });
}

/** The template with one action removed from every identity policy of the named role. */
export function withoutAction(template: CfnTemplate, roleName: string, action: string): CfnTemplate {
  const copy = structuredClone(template);
  const roleIds = Object.entries(copy.Resources)
    .filter(
      ([, resource]) => resource.Type === "AWS::IAM::Role" && resource.Properties?.RoleName === roleName,
    )
    .map(([id]) => id);
  if (roleIds.length !== 1) throw new Error(`role ${roleName} is not in the template`);
  let removed = 0;
  for (const resource of Object.values(copy.Resources)) {
    if (resource.Type !== "AWS::IAM::Policy") continue;
    const roles = (resource.Properties?.Roles as { Ref?: string }[] | undefined) ?? [];
    if (!roles.some((role) => role.Ref === roleIds[0])) continue;
    const document = resource.Properties?.PolicyDocument as { Statement: { Action?: string | string[] }[] };
    for (const statement of document.Statement) {
      const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action ?? ""];
      const kept = actions.filter((name) => name !== action);
      removed += actions.length - kept.length;
      statement.Action = kept;
    }
    document.Statement = document.Statement.filter((statement) => (statement.Action as string[]).length > 0);
  }
  if (removed === 0) throw new Error(`role ${roleName} is not granted ${action}`);
  return copy;
}
