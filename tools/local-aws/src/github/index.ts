/**
 * A GitHub stand-in for the local story: the REST operations the actions call, each request checked
 * against GitHub's OpenAPI description and the calling token's permissions, plus git smart HTTP for
 * one bare repository. Wiring a job to it:
 *
 *   const gh = await startGitHubStandIn({ repository: { owner, name, id, ownerId }, bareRepoDir });
 *   await gh.openPullRequest({ number, headRef, headSha, baseRef, baseSha }); // before the PR's jobs
 *   const token = gh.issueToken({ permissions: job.permissions, fork, jobName }); // the job's GITHUB_TOKEN
 *   // the job's env: GITHUB_API_URL=gh.apiUrl, GITHUB_SERVER_URL=gh.serverUrl, INPUT_GITHUB-TOKEN=token,
 *   // and its checkout's origin = gh.gitUrl (pushes authenticate with x-access-token:<token>)
 *   gh.mergePullRequest(number, mergeCommitSha); // after the merge is pushed to the bare repository
 *   console.log(gh.reviewerView()); // gh.records holds comments, statuses, deployments, requests
 *   await gh.close();
 *
 * Every SHA or ref an action names must be in the bare repository, as on GitHub.
 */
export { startGitHubStandIn } from "./server.js";
export { allows, GIT_REQUIREMENTS, grantsFor, REQUIRED_PERMISSIONS, TOKEN_SCOPES } from "./permissions.js";
export type * from "./types.js";
