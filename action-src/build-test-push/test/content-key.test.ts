import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { collectContent, computeContentKey } from "../src/content-key.js";

const BASE = "public.ecr.aws/lambda/nodejs:22";
const files = [
  { path: "service/src/handler.ts", bytes: Buffer.from("export const handler = 1;\n") },
  { path: "model/artifacts/model.onnx", bytes: Buffer.from([0, 1, 2, 3]) },
  { path: "package-lock.json", bytes: Buffer.from("{}") },
];
const key = computeContentKey(files, BASE);

describe("computeContentKey", () => {
  test("is a SHA-256 hex digest, independent of the order files are listed in", () => {
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(computeContentKey([...files].reverse(), BASE)).toBe(key);
  });

  test("keeps its known value: a change to the key's format changes every image's key (and is a new format)", () => {
    // sha256 of "textcat-content-key/v1\0base-image\0<base>\0" then, in path order,
    // "file\0<path>\0<length>\0<bytes>" for each file.
    expect(key).toBe("382878aa3b1bb7ac76d9234a2b24d4639d773475d185d980a5d1ea4c5b399467");
  });

  test("any listing order of the files sorts to the same key", () => {
    const [a, b, c] = files as [(typeof files)[0], (typeof files)[0], (typeof files)[0]];
    for (const order of [
      [a, c, b],
      [b, a, c],
      [b, c, a],
      [c, a, b],
    ]) {
      expect(computeContentKey(order, BASE)).toBe(key);
    }
  });

  test.each([
    [
      "one byte of a file",
      [{ ...files[0]!, bytes: Buffer.from("export const handler = 2;\n") }, files[1]!, files[2]!],
      BASE,
    ],
    ["a file's path", [{ ...files[0]!, path: "service/src/handler2.ts" }, files[1]!, files[2]!], BASE],
    ["an added file", [...files, { path: "service/src/extra.ts", bytes: Buffer.from("") }], BASE],
    ["a removed file", files.slice(1), BASE],
    ["the base image", files, "public.ecr.aws/lambda/nodejs:22@sha256:" + "a".repeat(64)],
    [
      "bytes moved between files",
      [
        { ...files[0]!, bytes: Buffer.from("export const handler = 1;\n{") },
        files[1]!,
        { ...files[2]!, bytes: Buffer.from("}") },
      ],
      BASE,
    ],
  ])("changes with %s", (_case, changed, base) => {
    expect(computeContentKey(changed, base)).not.toBe(key);
  });
});

describe("collectContent", () => {
  let root: string;
  const write = (entries: Record<string, string>) => {
    for (const [path, text] of Object.entries(entries)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
  };
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test("reads listed files and directories recursively, skipping node_modules, with POSIX relative paths", () => {
    root = mkdtempSync(join(tmpdir(), "content-"));
    write({
      "package.json": "{}",
      "service/src/a.ts": "a",
      "service/src/deep/b.ts": "b",
      "service/src/node_modules/x/index.js": "ignored",
      "service/test/c.test.ts": "not listed",
    });
    const collected = collectContent(root, ["package.json", "service/src/"]);
    expect(collected.map((f) => f.path).sort()).toEqual([
      "package.json",
      "service/src/a.ts",
      "service/src/deep/b.ts",
    ]);
  });

  test("a .git folder, wherever it sits under a listed folder, never enters the content", () => {
    root = mkdtempSync(join(tmpdir(), "content-"));
    write({ "service/src/a.ts": "a", "service/src/.git/HEAD": "ref", "service/src/lib/.git/config": "x" });
    expect(collectContent(root, ["service"]).map((f) => f.path)).toEqual(["service/src/a.ts"]);
  });

  test("symlinks under a listed folder are left out, to files and to folders alike", () => {
    root = mkdtempSync(join(tmpdir(), "content-"));
    write({ "service/src/a.ts": "a", "outside/secret.txt": "s" });
    symlinkSync(join(root, "outside/secret.txt"), join(root, "service/src/link.txt"));
    symlinkSync(join(root, "outside"), join(root, "service/src/linked-dir"));
    expect(collectContent(root, ["service"]).map((f) => f.path)).toEqual(["service/src/a.ts"]);
  });

  test("a file listed twice (itself and through its folder) is read once, with its bytes", () => {
    root = mkdtempSync(join(tmpdir(), "content-"));
    write({ "service/src/a.ts": "a" });
    expect(collectContent(root, ["service/src/a.ts", "service/src"])).toEqual([
      { path: "service/src/a.ts", bytes: Buffer.from("a") },
    ]);
  });

  test("the same tree in two places gives the same key; an unlisted file does not count", () => {
    root = mkdtempSync(join(tmpdir(), "content-"));
    const tree = { "service/src/a.ts": "a", "model/artifacts/model.onnx": "m" };
    write(Object.fromEntries(Object.entries(tree).map(([p, t]) => [`one/${p}`, t])));
    write(Object.fromEntries(Object.entries(tree).map(([p, t]) => [`two/${p}`, t])));
    write({ "two/service/README.md": "not listed" });
    const paths = ["service/src", "model/artifacts/model.onnx"];
    expect(computeContentKey(collectContent(join(root, "one"), paths), BASE)).toBe(
      computeContentKey(collectContent(join(root, "two"), paths), BASE),
    );
  });

  test.each([
    ["missing.txt", 'content path "missing.txt" does not exist'],
    ["/etc/passwd", 'content path "/etc/passwd" must be relative and inside the repository'],
    ["../outside", 'content path "../outside" must be relative and inside the repository'],
    ["service/../../x", 'content path "service/../../x" must be relative and inside the repository'],
    ["service\\..\\..\\x", 'content path "service\\..\\..\\x" must be relative and inside the repository'],
  ])("%s → %s", (path, message) => {
    root = mkdtempSync(join(tmpdir(), "content-"));
    expect(() => collectContent(root, [path])).toThrow(message);
  });
});
