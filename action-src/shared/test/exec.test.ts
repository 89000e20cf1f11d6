import { afterEach, describe, expect, test, vi } from "vitest";
import { failureDetail, lastLine, runCommand } from "../src/exec.js";
import { captureStdout } from "./capture-stdout.js";

afterEach(() => vi.restoreAllMocks());

describe("runCommand", () => {
  test("passes stdin and extra env, returns output and a non-zero exit code without throwing", async () => {
    captureStdout();
    const script =
      "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{console.log(s+process.env.EXTRA);console.error('bad');process.exit(3)})";
    const result = await runCommand(process.execPath, ["-e", script], {
      input: "secret-in",
      env: { EXTRA: "+env" },
      silent: true,
    });
    expect(result).toEqual({ exitCode: 3, stdout: "secret-in+env\n", stderr: "bad\n" });
  });

  test("echoes a command's output away from stdout, where the runner reads workflow commands", async () => {
    const stdout = captureStdout();
    const stderr: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      stderr.push(String(chunk));
      return true;
    });
    const result = await runCommand(process.execPath, ["-e", "console.log('::add-mask::from-a-commit')"]);
    expect(result.stdout).toBe("::add-mask::from-a-commit\n");
    expect(stdout.join("")).not.toContain("::add-mask::");
    expect(stderr.join("")).toContain("::add-mask::from-a-commit");
  });
});

describe("failure lines", () => {
  test.each([
    [{ exitCode: 1, stdout: "", stderr: "step 1\nerror: no space left\n\n" }, ": error: no space left"],
    [{ exitCode: 1, stdout: "only stdout\n", stderr: "  \n" }, ": only stdout"],
    [{ exitCode: 1, stdout: "", stderr: "" }, ""],
  ])("%j → %j", (result, detail) => {
    expect(failureDetail(result)).toBe(detail);
  });

  test("lastLine skips blank lines and trims", () => {
    expect(lastLine("a\n  b  \n\n")).toBe("b");
    expect(lastLine("")).toBe("");
  });
});
