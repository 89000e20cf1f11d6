/**
 * The dev stage of deploy.yml, against the stand-in: the `dev` job promotes the tested digest to the dev
 * function with the dev deploy role (a push-to-main token, no environment), and production then gets the
 * image dev serves, read from that job's output as deploy.yml's promote job reads `needs.dev.outputs`.
 */
import type { BuiltImage, PipelineSession } from "./session.js";
import type { WorkflowRun } from "./workflow-run.js";

export interface StagesServing {
  dev: { version: string; digest: string };
  prod: { version: string; digest: string };
  /** Both stages' `live` serve one digest. */
  same: boolean;
}

export interface DevStageRefusals {
  /** The dev job's token presented for the production deploy role. */
  devAssumesProdRole: string;
  /** promote run on the production function with the dev deploy role. */
  devPromotesProd: string;
  /** Production's `live` served the same version before and after. */
  prodUnchanged: boolean;
}

/** What CDK creates once for dev: its function, on the image prod's repository holds. */
export function createDevFunction(session: PipelineSession, imageUri: string): Promise<void> {
  return session.step(
    "infra: create dev function",
    () => session.createFunction(imageUri, session.devStage.names.functionName),
    () => ({ note: `${session.devStage.names.functionName}, image from ${session.repository}` }),
  );
}

/**
 * deploy.yml's `dev` job in the run that found `image`: promote (golden requests on the new dev version,
 * then dev's live alias). Its `image-uri` output is the image production gets: the one dev now serves.
 */
export async function promoteToDev(
  session: PipelineSession,
  label: string,
  deployRun: WorkflowRun,
  image: BuiltImage,
): Promise<string> {
  const job = await session.step(
    `${label}: promote dev`,
    () => session.promoteDevIn(deployRun, image),
    (result) => ({
      digest: result.runs.at(-1)?.outputs.digest,
      version: result.runs.at(-1)?.outputs.version,
    }),
  );
  const served = job.outputs["image-uri"] ?? "";
  if (!served.endsWith(`@${image.digest}`))
    throw new Error(`dev serves ${served}, not the tested ${image.digest}`);
  return served;
}

/** The digest each stage's `live` serves. */
export async function stagesServing(session: PipelineSession): Promise<StagesServing> {
  const dev = await session.serving("live", session.devStage.names.functionName);
  const prod = await session.serving("live");
  const pick = ({ version, digest }: { version: string; digest: string }) => ({ version, digest });
  return { dev: pick(dev), prod: pick(prod), same: dev.digest === prod.digest };
}

/** The dev job reaches no further than dev: its token is refused by prod's role, its role by prod's function. */
export async function devStageRefusals(
  session: PipelineSession,
  image: BuiltImage,
  golden: string,
): Promise<DevStageRefusals> {
  const before = await session.serving();
  const refusal = (step: string, work: () => Promise<string>): Promise<string> =>
    session.step(step, work, (reason) => ({ note: reason.slice(0, 110) }));
  const devAssumesProdRole = await refusal("dev job: assume the prod deploy role", async () => {
    const result = await session.credentialsFor("devAsProdDeployer");
    if (!("refused" in result)) throw new Error("the dev job got the production deploy role");
    return result.refused;
  });
  const devPromotesProd = await refusal("dev job: promote prod with the dev role", async () => {
    const run = await session.action(
      "promote",
      {
        "function-name": session.functionName,
        "image-uri": image.imageUri,
        "golden-requests": golden,
        "aws-region": session.region,
      },
      "devPromotesProd",
    );
    if (run.exitCode === 0) throw new Error("the dev deploy role promoted the production function");
    const denied = /AccessDenied\w*:[^\n]*/.exec(run.log)?.[0] ?? run.log.trim().split("\n").at(-1) ?? "";
    return denied.split("%0A")[0]!;
  });
  const after = await session.serving();
  return { devAssumesProdRole, devPromotesProd, prodUnchanged: after.version === before.version };
}
