/**
 * The GitHub permission map held to GitHub's table word for word, and the permissions-block check at
 * its edges: a changed level or a dropped alternative in the map is a different rule, not a detail.
 */
import { describe, expect, test } from "vitest";
import { allows, invalidPermissions, REQUIRED_PERMISSIONS } from "../src/github/permissions.js";
import type { PermissionsBlock } from "../src/github/types.js";

describe("REQUIRED_PERMISSIONS", () => {
  // https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps ("Commit
  // statuses", "Deployments", "Pull requests", and issue comments under "Issues" or "Pull requests").
  test("is GitHub's table for the served endpoints, level by level", () => {
    expect(REQUIRED_PERMISSIONS).toEqual({
      "repos/create-commit-status": [{ permission: "statuses", level: "write" }],
      "repos/list-commit-statuses-for-ref": [{ permission: "statuses", level: "read" }],
      "repos/list-pull-requests-associated-with-commit": [{ permission: "pull-requests", level: "read" }],
      "pulls/list-commits": [{ permission: "pull-requests", level: "read" }],
      "repos/create-deployment": [{ permission: "deployments", level: "write" }],
      "repos/create-deployment-status": [{ permission: "deployments", level: "write" }],
      "issues/list-comments": [
        { permission: "issues", level: "read" },
        { permission: "pull-requests", level: "read" },
      ],
      "issues/create-comment": [
        { permission: "issues", level: "write" },
        { permission: "pull-requests", level: "write" },
      ],
      "issues/update-comment": [
        { permission: "issues", level: "write" },
        { permission: "pull-requests", level: "write" },
      ],
    });
  });

  test("either listed permission is enough for an issue comment, and read does not cover write", () => {
    expect(allows({ issues: "read" }, REQUIRED_PERMISSIONS["issues/list-comments"])).toBe(true);
    expect(allows({ "pull-requests": "read" }, REQUIRED_PERMISSIONS["issues/list-comments"])).toBe(true);
    expect(allows({ "pull-requests": "read" }, REQUIRED_PERMISSIONS["issues/create-comment"])).toBe(false);
    expect(allows({}, REQUIRED_PERMISSIONS["issues/list-comments"])).toBe(false);
  });
});

describe("invalidPermissions", () => {
  test.each<[object | string, string[]]>([
    ["read-all", []],
    ["write-all", []],
    ["read", ["read"]],
    ["", [""]],
    [{ contents: "read", statuses: "write", deployments: "none" }, []],
    [{ contents: "admin" as "read" }, ["contents: admin"]],
    [{ contents: "" as "read" }, ["contents: "]],
    [{ bogus: "read" }, ["bogus: read"]],
  ])("%j → %j", (block, invalid) => {
    expect(invalidPermissions(block as PermissionsBlock)).toEqual(invalid);
  });
});
