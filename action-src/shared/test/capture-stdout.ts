import { vi } from "vitest";

/**
 * Test helper: collects what is written to stdout — where @actions/core prints workflow commands
 * (::error::, ::notice::, ::add-mask:: …) — instead of printing it. Undo with vi.restoreAllMocks().
 */
export function captureStdout(): string[] {
  const written: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  return written;
}
