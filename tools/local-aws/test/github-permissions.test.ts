/** The GITHUB_TOKEN permission rule alone: grants from a job's block, and whether they cover an endpoint. */
import { describe, expect, test } from "vitest";
import { SERVED_OPERATIONS } from "../src/github/description.js";
import {
  acceptedPermissionsHeader,
  allows,
  GIT_REQUIREMENTS,
  grantsFor,
  invalidPermissions,
  REQUIRED_PERMISSIONS,
  TOKEN_SCOPES,
} from "../src/github/permissions.js";

describe("grantsFor (a job's permissions: block)", () => {
  test("{} grants nothing but metadata: read", () => {
    const grants = grantsFor({});
    expect(Object.entries(grants).filter(([, level]) => level !== "none")).toEqual([["metadata", "read"]]);
    expect(Object.keys(grants).sort()).toEqual([...TOKEN_SCOPES].sort());
  });

  test("named scopes get their level, every other scope none", () => {
    const grants = grantsFor({ statuses: "write", "pull-requests": "read" });
    expect(grants.statuses).toBe("write");
    expect(grants["pull-requests"]).toBe("read");
    expect(grants.contents).toBe("none");
    expect(grants.deployments).toBe("none");
  });

  test("read-all and write-all", () => {
    expect(grantsFor("read-all").contents).toBe("read");
    expect(grantsFor("write-all").contents).toBe("write");
    expect(grantsFor("write-all").metadata).toBe("read");
  });

  test("a fork's pull request gets at most read, and no id-token or models", () => {
    const grants = grantsFor("write-all", { fork: true });
    expect(grants.contents).toBe("read");
    expect(grants.statuses).toBe("read");
    expect(grants["id-token"]).toBe("none");
    expect(grants.models).toBe("none");
    expect(grantsFor({ issues: "none" }, { fork: true }).issues).toBe("none");
  });

  test("scopes and levels a workflow cannot declare are named", () => {
    expect(invalidPermissions({ statuses: "write" })).toEqual([]);
    expect(invalidPermissions({ status: "write", contents: "admin" as never })).toEqual([
      "status: write",
      "contents: admin",
    ]);
    expect(invalidPermissions("all" as never)).toEqual(["all"]);
  });
});

describe("allows (grants against an endpoint's requirement)", () => {
  const need = (permission: string, level: "read" | "write") => [{ permission, level }] as const;

  test.each([
    ["none", "read", false],
    ["none", "write", false],
    ["read", "read", true],
    ["read", "write", false],
    ["write", "read", true],
    ["write", "write", true],
  ] as const)("holding %s, needing %s → %s", (held, needed, expected) => {
    expect(allows({ statuses: held }, need("statuses", needed))).toBe(expected);
  });

  test("an absent permission is none", () => {
    expect(allows({}, need("statuses", "read"))).toBe(false);
  });

  test("one alternative is enough: issue comments take issues or pull-requests", () => {
    const requirement = REQUIRED_PERMISSIONS["issues/create-comment"];
    expect(allows(grantsFor({ issues: "write" }), requirement)).toBe(true);
    expect(allows(grantsFor({ "pull-requests": "write" }), requirement)).toBe(true);
    expect(allows(grantsFor({ issues: "read", "pull-requests": "read" }), requirement)).toBe(false);
  });

  test("each served endpoint is refused to {} and allowed to write-all", () => {
    expect(Object.keys(REQUIRED_PERMISSIONS).sort()).toEqual([...SERVED_OPERATIONS].sort());
    for (const requirement of Object.values(REQUIRED_PERMISSIONS)) {
      expect(allows(grantsFor({}), requirement)).toBe(false);
      expect(allows(grantsFor("write-all"), requirement)).toBe(true);
    }
  });

  test("the table says what GitHub's page says", () => {
    expect(REQUIRED_PERMISSIONS["repos/create-commit-status"]).toEqual([
      { permission: "statuses", level: "write" },
    ]);
    expect(REQUIRED_PERMISSIONS["repos/create-deployment"]).toEqual([
      { permission: "deployments", level: "write" },
    ]);
    expect(REQUIRED_PERMISSIONS["repos/list-pull-requests-associated-with-commit"]).toEqual([
      { permission: "pull-requests", level: "read" },
    ]);
  });

  test("git: fetching needs contents read, pushing contents write; a fork's token cannot push", () => {
    expect(allows(grantsFor({ contents: "read" }), GIT_REQUIREMENTS.fetch)).toBe(true);
    expect(allows(grantsFor({ contents: "read" }), GIT_REQUIREMENTS.push)).toBe(false);
    expect(allows(grantsFor({ contents: "write" }), GIT_REQUIREMENTS.push)).toBe(true);
    expect(allows(grantsFor({ contents: "write" }, { fork: true }), GIT_REQUIREMENTS.push)).toBe(false);
    expect(allows(grantsFor({}), GIT_REQUIREMENTS.fetch)).toBe(false);
  });
});

test("X-Accepted-GitHub-Permissions: App permission names, alternatives separated by a semicolon", () => {
  expect(acceptedPermissionsHeader(REQUIRED_PERMISSIONS["issues/update-comment"])).toBe(
    "issues=write; pull_requests=write",
  );
  expect(acceptedPermissionsHeader(REQUIRED_PERMISSIONS["repos/create-commit-status"])).toBe(
    "statuses=write",
  );
});
