/**
 * The stand-in's records as a reviewer sees them on GitHub: each pull request's comments (with how
 * often each was edited in place), the commit statuses per commit, and each deployment with the
 * commit it served and its status history.
 */
import type { GitHubRecords } from "./types.js";

const short = (sha: string) => sha.slice(0, 7);

function firstLine(text: string, max = 72): string {
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

export function renderReviewerView(records: GitHubRecords): string {
  const lines: string[] = [];
  const issues = [...new Set(records.comments.map((c) => c.issueNumber))].sort((a, b) => a - b);
  lines.push(`Comments (${records.comments.length}):`);
  for (const issue of issues) {
    for (const c of records.comments.filter((c) => c.issueNumber === issue)) {
      const edits = c.updates === 0 ? "never edited" : `edited ${c.updates}×`;
      lines.push(
        `  #${issue} comment ${c.id} (${edits}): ${firstLine(c.body.replace(/<!--[\s\S]*?-->/g, ""))}`,
      );
    }
  }
  lines.push(`Commit statuses (${records.statuses.length}):`);
  const shas = [...new Set(records.statuses.map((s) => s.sha))];
  for (const sha of shas) {
    const latest = new Map<string, (typeof records.statuses)[number]>();
    for (const s of records.statuses.filter((s) => s.sha === sha)) latest.set(s.context, s);
    for (const s of latest.values()) {
      lines.push(
        `  ${short(sha)} ${s.context}: ${s.state}${s.description ? ` — ${firstLine(s.description)}` : ""}`,
      );
    }
  }
  lines.push(`Deployments (${records.deployments.length}):`);
  for (const d of records.deployments) {
    const history = records.deploymentStatuses
      .filter((s) => s.deploymentId === d.id)
      .map((s) => s.state)
      .join(" → ");
    lines.push(
      `  ${d.id} ${d.environment} @ ${short(d.sha)}: ${history || "no status"}${d.description ? ` — ${firstLine(d.description)}` : ""}`,
    );
  }
  const refused = records.requests.filter((r) => r.status >= 400);
  if (refused.length > 0) {
    lines.push(`Refused requests (${refused.length}):`);
    for (const r of refused) {
      lines.push(
        `  ${r.status} ${r.method} ${r.path}${r.jobName ? ` [${r.jobName}]` : ""}: ${firstLine(r.message ?? "")}`,
      );
    }
  }
  return lines.join("\n");
}
