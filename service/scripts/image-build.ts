/**
 * npm run image:build -- --tag <name:tag> [--base-image <ref>|pinned] [--node-image <ref>] [--model <path>]
 * Builds the service image (classic builder: a single-platform image, no attestations) and prints its
 * image id. Without --base-image the local stand-in of public.ecr.aws/lambda/nodejs is used (built
 * first if missing); `--base-image pinned` builds from service/base-image.pin, as CI does; --model
 * defaults to the committed model/artifacts/model.onnx.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { CA_BUNDLE, STANDIN_LABEL, ensureStandinBase } from "../base-image/build.js";
import { PIN_FILE, pinnedReference, readPinFile } from "./base-image-pin.js";
import { EXIT_USAGE, parseOptions, UsageError } from "@textcat/kit/args";
import { exec, run } from "@textcat/kit/process";
import { buildContext } from "./image-context.js";

const REPO_ROOT = resolve(import.meta.dirname, "../..");

export interface ImageBuildInputs {
  tag: string;
  baseImage?: string;
  nodeImage?: string;
  modelPath: string;
}

function lockedVersion(name: string): string {
  const lock = JSON.parse(readFileSync(resolve(REPO_ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string }>;
  };
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (version === undefined) throw new Error(`${name} is not in package-lock.json`);
  return version;
}

async function isStandin(image: string): Promise<boolean> {
  const result = await exec(
    "docker",
    ["image", "inspect", "--format", `{{index .Config.Labels "${STANDIN_LABEL}"}}`, image],
    {
      quiet: true,
    },
  );
  return result.code === 0 && !["", "<no value>"].includes(result.stdout.trim());
}

export async function buildImage(inputs: ImageBuildInputs): Promise<string> {
  if (!existsSync(inputs.modelPath)) {
    throw new UsageError(`no model at ${inputs.modelPath}: train one (npm run train) or pass --model <path>`);
  }
  const baseImage = inputs.baseImage ?? (await ensureStandinBase());
  // The stand-in has node and npm, so it also serves as the build stage (no public Node image can be
  // pulled here); a real base keeps the Dockerfile's Node image unless --node-image says otherwise.
  const standin = await isStandin(baseImage);
  const nodeImage = inputs.nodeImage ?? (standin ? baseImage : undefined);
  const modelSha256 = createHash("sha256").update(readFileSync(inputs.modelPath)).digest("hex");
  const buildArgs = [
    `BASE_IMAGE=${baseImage}`,
    ...(nodeImage !== undefined ? [`NODE_IMAGE=${nodeImage}`] : []),
    `ESBUILD_VERSION=${lockedVersion("esbuild")}`,
    `MODEL_SHA256=${modelSha256}`,
    // The stand-in carries the host's CA bundle; a host behind a TLS-inspecting proxy needs it for npm.
    ...(standin && process.env.NODE_EXTRA_CA_CERTS === CA_BUNDLE ? [`NODE_EXTRA_CA_CERTS=${CA_BUNDLE}`] : []),
  ];
  process.stderr.write(`image:build ${inputs.tag} from ${baseImage} with model ${modelSha256}\n`);
  await run(
    "docker",
    [
      "build",
      "--network",
      "host",
      "-f",
      "service/Dockerfile",
      "-t",
      inputs.tag,
      ...buildArgs.flatMap((arg) => ["--build-arg", arg]),
      "-",
    ],
    { input: buildContext(REPO_ROOT, inputs.modelPath), env: { ...process.env, DOCKER_BUILDKIT: "0" } },
  );
  return (
    await run("docker", ["image", "inspect", "--format", "{{.Id}}", inputs.tag], { quiet: true })
  ).trim();
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), ["tag", "base-image", "node-image", "model"] as const);
  if (options.tag === undefined) throw new UsageError("--tag <name:tag> is required");
  const imageId = await buildImage({
    tag: options.tag,
    baseImage:
      options["base-image"] === "pinned"
        ? pinnedReference(readPinFile(resolve(REPO_ROOT, PIN_FILE)))
        : options["base-image"],
    nodeImage: options["node-image"],
    modelPath: resolve(options.model ?? resolve(REPO_ROOT, "model/artifacts/model.onnx")),
  });
  console.log(imageId);
}

if (process.argv[1] === import.meta.filename) {
  main().catch((error: unknown) => {
    console.error(`image:build: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = error instanceof UsageError ? EXIT_USAGE : 1;
  });
}
