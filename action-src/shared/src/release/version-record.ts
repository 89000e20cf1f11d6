/**
 * What promote writes into a published version's Description (≤ 256 characters): the image digest,
 * the commit and the model it was published for. Rollback reads the commit back to record its
 * deployment of the commit actually served.
 */
export interface VersionRecord {
  digest?: string;
  git?: string;
  model?: string;
}

export function versionDescription(digest: string, gitSha: string, modelSha256: string): string {
  return JSON.stringify({ digest, git: gitSha || undefined, model: modelSha256 || undefined });
}

/** The record in a version Description; {} for a version promote did not publish. */
export function decodeVersionDescription(description: string | undefined): VersionRecord {
  try {
    const fields = JSON.parse(description ?? "") as Record<string, unknown>;
    const text = (key: string) => (typeof fields[key] === "string" ? fields[key] : undefined);
    const git = text("git");
    return {
      digest: text("digest"),
      git: git && /^[0-9a-f]{7,40}$/.test(git) ? git : undefined,
      model: text("model"),
    };
  } catch {
    return {};
  }
}
