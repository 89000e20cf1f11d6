import * as core from "@actions/core";

/** Masks a secret in all later log output (each line too, as the runner masks line by line). */
export function maskSecret(secret: string | undefined): void {
  if (!secret) return;
  core.setSecret(secret);
  for (const line of secret.split(/\r?\n/)) {
    if (line.trim() && line !== secret) core.setSecret(line);
  }
}
