/** A step of long-running work, reported through an optional callback; the caller decides where it goes. */
export interface ProgressEvent {
  stage: "vectorize" | "cv" | "refit";
  /** Human-readable one-liner, e.g. "fold 2/5, C=0.0774: 37 iterations, accuracy 0.8123". */
  message: string;
  done: number;
  total: number;
}

export type OnProgress = (event: ProgressEvent) => void;
