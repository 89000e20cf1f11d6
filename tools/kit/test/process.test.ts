import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { CommandError, exec, run, runSync, start, succeeds } from "@textcat/kit/process";

const node = process.execPath;

describe("exec", () => {
  it("passes input, env and cwd, and returns a non-zero exit with both outputs", async () => {
    const script =
      "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{console.log(s+process.env.EXTRA+' '+process.cwd());console.error('bad');process.exit(3)})";
    const result = await exec(node, ["-e", script], {
      input: "in",
      env: { ...process.env, EXTRA: "+env" },
      cwd: "/",
      quiet: true,
    });
    expect(result).toEqual({ code: 3, stdout: "in+env /\n", stderr: "bad\n" });
  });

  it("takes a stream as input and reports output chunks as they arrive", async () => {
    const input = new PassThrough();
    input.end("streamed");
    const chunks: string[] = [];
    const result = await exec(node, ["-e", "process.stdin.pipe(process.stdout)"], {
      input,
      quiet: true,
      onOutput: (text) => chunks.push(text),
    });
    expect(result.stdout).toBe("streamed");
    expect(chunks.join("")).toBe("streamed");
  });

  it("copies both output streams to echoTo unless quiet", async () => {
    const echoed: string[] = [];
    const echoTo = new PassThrough().on("data", (chunk: Buffer) => echoed.push(chunk.toString()));
    await exec(node, ["-e", "console.log('out'); console.error('err')"], { echoTo });
    expect(echoed.join("")).toMatch(/^(out\nerr\n|err\nout\n)$/);
    echoed.length = 0;
    await exec(node, ["-e", "console.log('out')"], { echoTo, quiet: true });
    expect(echoed).toEqual([]);
  });

  it("stops a command at its timeout with an error naming it and keeping its output", async () => {
    // long enough for a loaded machine to start node and print before the timeout
    const error = await exec(node, ["-e", "console.log('started'); setTimeout(() => {}, 60000)"], {
      timeoutMs: 3000,
      quiet: true,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).message).toMatch(/^\S*node -e .* timed out after 3000 ms$/);
    expect((error as CommandError).stdout).toBe("started\n");
  });

  it("fails a command that cannot start with its cause", async () => {
    const error = await exec("/no/such/command", ["x"]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as Error).message).toBe("/no/such/command x could not start");
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe("ENOENT");
  });

  it("refuses input for a command that inherits stdin", async () => {
    await expect(exec(node, ["-e", ""], { stdio: "inherit", input: "x" })).rejects.toThrow(
      "cannot take input while inheriting stdin",
    );
  });

  it("lets an inheriting command write to this process's streams, capturing nothing", async () => {
    const result = await exec(node, ["-e", "process.exit(4)"], { stdio: "inherit" });
    expect(result).toEqual({ code: 4, stdout: "", stderr: "" });
  });
});

describe("run", () => {
  it("returns stdout of a command that succeeds", async () => {
    await expect(run(node, ["-e", "process.stdout.write('ok')"], { quiet: true })).resolves.toBe("ok");
  });

  it("throws a CommandError naming the command with the last lines it printed", async () => {
    const error = await run(node, ["-e", "console.error('one\\ntwo'); process.exit(5)", "a", "b"], {
      quiet: true,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CommandError);
    const commandError = error as CommandError;
    expect(commandError.message).toMatch(/ -e .* a … exited with 5: one\ntwo$/);
    expect(commandError.code).toBe(5);
    expect(commandError.stderr).toBe("one\ntwo\n");
  });
});

describe("succeeds", () => {
  it("is true for exit 0 and false for a failure, a missing command or a timeout", async () => {
    expect(await succeeds(node, ["-e", ""])).toBe(true);
    expect(await succeeds(node, ["-e", "process.exit(1)"])).toBe(false);
    expect(await succeeds("/no/such/command", [])).toBe(false);
    expect(await succeeds(node, ["-e", "setTimeout(() => {}, 60000)"], { timeoutMs: 300 })).toBe(false);
  });
});

describe("runSync", () => {
  it("returns stdout, passing input, env and cwd", () => {
    const script =
      "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(s+process.env.EXTRA+process.cwd()))";
    expect(
      runSync(node, ["-e", script], { input: "in", env: { ...process.env, EXTRA: "+" }, cwd: "/" }),
    ).toBe("in+/\n");
  });

  it("throws the same CommandError as run for a failure, a missing command and a timeout", () => {
    const failure = (() => {
      try {
        return runSync(node, ["-e", "console.error('nope'); process.exit(6)"]);
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(CommandError);
    expect((failure as CommandError).message).toMatch(/ -e .* exited with 6: nope$/);
    expect(() => runSync("/no/such/command", [])).toThrow("/no/such/command could not start");
    expect(() => runSync(node, ["-e", "setTimeout(() => {}, 60000)"], { timeoutMs: 300 })).toThrow(
      "timed out after 300 ms",
    );
  });
});

describe("start", () => {
  it("hands back a long-lived child whose exit settles later", async () => {
    const { child, exited } = start(node, ["-e", "process.stdin.on('data', () => process.exit(7))"]);
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stdin?.write("stop");
    await expect(exited).resolves.toEqual({ code: 7, signal: null });
    expect(output).toBe("");
  });

  it("reports a child ended by a signal", async () => {
    const { child, exited } = start(node, ["-e", "setTimeout(() => {}, 60000)"]);
    child.kill("SIGTERM");
    await expect(exited).resolves.toEqual({ code: 1, signal: "SIGTERM" });
  });
});
