/** Progress lines for long work: on stderr when it is a terminal, silent otherwise or with --quiet. */
export type Progress = (message: string) => void;

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export function createProgress(
  stream: ProgressStream,
  quiet: boolean,
  now = () => performance.now(),
): Progress {
  if (quiet || stream.isTTY !== true) return () => {};
  const start = now();
  return (message) => {
    const seconds = ((now() - start) / 1000).toFixed(1).padStart(6);
    stream.write(`[${seconds}s] ${message}\n`);
  };
}
