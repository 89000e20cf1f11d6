/** The reviewer view: what the story prints of the stand-in's records after the run. */
import { expect, test } from "vitest";
import { renderReviewerView } from "../src/github/reviewer-view.js";
import { GitHubStore } from "../src/github/store.js";

const A = "a".repeat(40);
const B = "b".repeat(40);

test("one line per comment, latest status per context and commit, deployments with their history", () => {
  const store = new GitHubStore();
  store.comments.push({
    id: 1001,
    issueNumber: 7,
    body: "<!-- m -->\n## Retrained",
    createdAt: "t",
    updatedAt: "t",
    updates: 2,
  });
  store.statuses.push(
    {
      id: 1,
      sha: A,
      context: "textcat/quality-gate",
      state: "pending",
      description: "judging",
      targetUrl: null,
      createdAt: "t",
    },
    {
      id: 2,
      sha: A,
      context: "textcat/quality-gate",
      state: "success",
      description: "passed",
      targetUrl: null,
      createdAt: "t",
    },
    {
      id: 3,
      sha: B,
      context: "textcat/image",
      state: "success",
      description: null,
      targetUrl: null,
      createdAt: "t",
    },
  );
  store.deployments.push({
    id: 2001,
    ref: B,
    sha: B,
    environment: "prod",
    description: "digest sha256:1",
    productionEnvironment: true,
    createdAt: "t",
  });
  store.deploymentStatuses.push(
    {
      id: 1,
      deploymentId: 2001,
      state: "in_progress",
      description: "",
      environmentUrl: "",
      logUrl: "",
      createdAt: "t",
    },
    {
      id: 2,
      deploymentId: 2001,
      state: "success",
      description: "",
      environmentUrl: "",
      logUrl: "",
      createdAt: "t",
    },
  );
  store.requests.push({
    method: "POST",
    path: "/repos/o/r/statuses/x",
    status: 403,
    message: "Resource not accessible by integration",
    jobName: "build",
  });
  expect(renderReviewerView(store)).toBe(
    [
      "Comments (1):",
      "  #7 comment 1001 (edited 2×): ## Retrained",
      "Commit statuses (3):",
      "  aaaaaaa textcat/quality-gate: success — passed",
      "  bbbbbbb textcat/image: success",
      "Deployments (1):",
      "  2001 prod @ bbbbbbb: in_progress → success — digest sha256:1",
      "Refused requests (1):",
      "  403 POST /repos/o/r/statuses/x [build]: Resource not accessible by integration",
    ].join("\n"),
  );
});
