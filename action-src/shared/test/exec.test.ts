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

  test("logs the command and its output on stdout, where the job log had them from @actions/exec", async () => {
    const stdout = captureStdout();
    const result = await runCommand(process.execPath, ["-e", "console.log('out'); console.error('err')"]);
    expect(result).toEqual({ exitCode: 0, stdout: "out\n", stderr: "err\n" });
    const log = stdout.join("");
    expect(log).toContain(`[command]${process.execPath} -e console.log('out'); console.error('err')\n`);
    expect(log).toContain("out\n");
    expect(log).toContain("err\n");
  });

  test("silent logs neither the command nor its output", async () => {
    const stdout = captureStdout();
    await runCommand(process.execPath, ["-e", "console.log('out')"], { silent: true });
    expect(stdout).toEqual([]);
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
