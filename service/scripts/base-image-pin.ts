/**
 * The base image pin (service/base-image.pin): the one file that names the Lambda base image, as
 * `<registry>/<repository>:<tag>@sha256:<digest>`. build-test-push builds from it and hashes it into the
 * content key; the scheduled base-image workflow moves the digest when the tag moves. Everything here is
 * pure: reading and writing files and asking the registry happen in base-image-update.ts / registry-digest.ts.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

/** Where the pin lives, relative to the repository root. */
export const PIN_FILE = "service/base-image.pin";
const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** Registry host[:port], then lowercase path components, as the distribution spec names repositories. */
const REFERENCE =
  /^(?<registry>[a-z0-9.-]+(?::\d+)?)\/(?<repository>[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*):(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$/;

export class PinError extends Error {
  override name = "PinError";
}

/** A tag that can be followed (`registry/repository:tag`), split the way the registry API addresses it. */
export interface TaggedImage {
  registry: string;
  repository: string;
  tag: string;
}

export interface BaseImagePin {
  image: TaggedImage;
  digest: string;
}

export function parseTaggedImage(text: string, source: string): TaggedImage {
  const groups = REFERENCE.exec(text)?.groups;
  if (!groups?.registry || !groups.repository || !groups.tag) {
    throw new PinError(
      `${source}: "${text}" is not <registry>/<repository>:<tag> (e.g. public.ecr.aws/lambda/nodejs:22)`,
    );
  }
  return { registry: groups.registry, repository: groups.repository, tag: groups.tag };
}

export function taggedReference(image: TaggedImage): string {
  return `${image.registry}/${image.repository}:${image.tag}`;
}

/** What `FROM` gets and what the content key hashes: the tag for people, the digest for Docker. */
export function pinnedReference(pin: BaseImagePin): string {
  return `${taggedReference(pin.image)}@${pin.digest}`;
}

/** The pin's one reference line; `#` lines and blank lines are comments. */
export function parsePin(text: string, source = PIN_FILE): BaseImagePin {
  const lines = referenceLines(text);
  if (lines.length !== 1) {
    throw new PinError(`${source} must hold exactly one image reference line, found ${lines.length}`);
  }
  const line = lines[0]!.text;
  const at = line.lastIndexOf("@");
  const digest = at > 0 ? line.slice(at + 1) : "";
  if (!DIGEST.test(digest)) {
    throw new PinError(`${source}: "${line}" must end in @sha256:<64 hex> (the base image pinned by digest)`);
  }
  return { image: parseTaggedImage(line.slice(0, at), source), digest };
}

export function readPinFile(path: string): BaseImagePin {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new PinError(`cannot read the base image pin ${path}`, { cause: error });
  }
  return parsePin(text, path);
}

export type PinUpdate =
  | { changed: false; pin: BaseImagePin }
  | {
      changed: true;
      pin: BaseImagePin;
      previous: BaseImagePin;
      text: string;
      branch: string;
      title: string;
      body: string;
    };

/** What to do when the pinned tag now resolves to `digest`: nothing, or this new file text and this PR. */
export function planPinUpdate(text: string, digest: string, source = PIN_FILE): PinUpdate {
  const previous = parsePin(text, source);
  if (!DIGEST.test(digest)) throw new PinError(`the registry answered "${digest}", not a sha256 digest`);
  if (digest === previous.digest) return { changed: false, pin: previous };
  const pin = { image: previous.image, digest };
  const lines = text.split("\n");
  const index = referenceLines(text)[0]!.index;
  lines[index] = pinnedReference(pin);
  const tagged = taggedReference(pin.image);
  return {
    changed: true,
    pin,
    previous,
    text: lines.join("\n"),
    branch: `base-image/${digest.slice("sha256:".length, "sha256:".length + 12)}`,
    title: `Base image: ${tagged} moved to ${digest.slice(0, 19)}`,
    body: [
      `\`${tagged}\` now resolves to a new digest (the publisher rebuilt the tag, e.g. with OS or runtime patches).`,
      "",
      "| | digest |",
      "| --- | --- |",
      `| pinned | \`${previous.digest}\` |`,
      `| current | \`${digest}\` |`,
      "",
      `This PR changes only \`${PIN_FILE}\`. The pin is part of the content key, so the PR checks build a new`,
      "image on the new base, run the service tests inside it and push it; merging promotes that tested digest.",
    ].join("\n"),
  };
}

/** The digest of a manifest is the SHA-256 of its bytes exactly as the registry serves them. */
export function manifestDigest(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

function referenceLines(text: string): { index: number; text: string }[] {
  return text
    .split("\n")
    .map((line, index) => ({ index, text: line.trim() }))
    .filter((line) => line.text !== "" && !line.text.startsWith("#"));
}
