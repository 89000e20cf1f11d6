/**
 * L-BFGS with a strong-Wolfe line search (Nocedal & Wright, algorithms 3.5/3.6, cubic
 * interpolation), stopping as SciPy's L-BFGS-B does for scikit-learn: max |gradient| ≤ gradientTolerance,
 * relative decrease of f ≤ relativeDecreaseTolerance, or maxIterations. All work buffers are
 * allocated once in an `LbfgsWorkspace` and reused across minimisations of the same dimension.
 */

/** Writes ∇f(x) into `gradient` and returns f(x). */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  maxIterations: number;
  gradientTolerance: number;
  /** SciPy's `ftol` (factr · machine epsilon): 2.220446049250313e-9 by default. */
  relativeDecreaseTolerance?: number;
  /** Correction pairs kept (SciPy's maxcor). */
  memory?: number;
  maxLineSearchEvaluations?: number;
}

export type StopReason = "gradient" | "decrease" | "maxIterations" | "lineSearch";

export interface LbfgsResult {
  value: number;
  iterations: number;
  evaluations: number;
  reason: StopReason;
}

const DEFAULT_FTOL = 2.220446049250313e-9;
const WOLFE_C1 = 1e-4;
const WOLFE_C2 = 0.9;

export class LbfgsWorkspace {
  readonly s: Float64Array[];
  readonly y: Float64Array[];
  readonly rho: Float64Array;
  readonly alpha: Float64Array;
  readonly gradient: Float64Array;
  readonly direction: Float64Array;
  readonly trialX: Float64Array;
  readonly trialGradient: Float64Array;

  constructor(
    readonly dimension: number,
    readonly memory = 10,
  ) {
    this.s = Array.from({ length: memory }, () => new Float64Array(dimension));
    this.y = Array.from({ length: memory }, () => new Float64Array(dimension));
    this.rho = new Float64Array(memory);
    this.alpha = new Float64Array(memory);
    this.gradient = new Float64Array(dimension);
    this.direction = new Float64Array(dimension);
    this.trialX = new Float64Array(dimension);
    this.trialGradient = new Float64Array(dimension);
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function maxAbs(a: Float64Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > max) max = v;
  }
  return max;
}

/** Minimises `objective` starting from `x`, which is overwritten with the solution. */
export function minimizeLbfgs(
  objective: Objective,
  x: Float64Array,
  options: LbfgsOptions,
  workspace = new LbfgsWorkspace(x.length, options.memory),
): LbfgsResult {
  if (workspace.dimension !== x.length) throw new Error("L-BFGS workspace has the wrong dimension");
  const ftol = options.relativeDecreaseTolerance ?? DEFAULT_FTOL;
  const maxLineSearch = options.maxLineSearchEvaluations ?? 20;
  const { s, y, rho, alpha, direction, trialX, trialGradient } = workspace;
  const memory = s.length;
  let gradient = workspace.gradient;
  let evaluations = 1;
  let value = objective(x, gradient);
  if (maxAbs(gradient) <= options.gradientTolerance)
    return { value, iterations: 0, evaluations, reason: "gradient" };

  let pairs = 0;
  let newest = -1;
  let iterations = 0;
  let currentX = x;
  let spareX = trialX;
  let spareGradient = trialGradient;
  for (;;) {
    twoLoopDirection(gradient, s, y, rho, alpha, pairs, newest, direction);
    let slope = dot(direction, gradient);
    if (!(slope < 0)) {
      pairs = 0;
      for (let i = 0; i < direction.length; i++) direction[i] = -gradient[i]!;
      slope = dot(direction, gradient);
    }
    const firstStep = pairs === 0 ? 1 / Math.sqrt(dot(direction, direction)) : 1;

    const search = strongWolfeSearch(
      objective,
      currentX,
      value,
      slope,
      direction,
      firstStep,
      spareX,
      spareGradient,
      maxLineSearch,
    );
    evaluations += search.evaluations;
    if (!search.found) {
      if (currentX !== x) x.set(currentX);
      return { value, iterations, evaluations, reason: "lineSearch" };
    }
    iterations++;
    // Store the correction pair s = Δx, y = Δgradient (overwriting the oldest only if it is usable).
    const next = (newest + 1) % memory;
    const sNext = s[next]!;
    const yNext = y[next]!;
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < sNext.length; i++) {
      const si = spareX[i]! - currentX[i]!;
      const yi = spareGradient[i]! - gradient[i]!;
      sNext[i] = si;
      yNext[i] = yi;
      sy += si * yi;
      yy += yi * yi;
    }
    if (sy > 2.220446049250313e-16 * yy) {
      rho[next] = 1 / sy;
      newest = next;
      pairs = Math.min(pairs + 1, memory);
    }
    const previousValue = value;
    value = search.value;
    [currentX, spareX] = [spareX, currentX];
    [gradient, spareGradient] = [spareGradient, gradient];

    let reason: StopReason | undefined;
    if ((previousValue - value) / Math.max(Math.abs(previousValue), Math.abs(value), 1) <= ftol)
      reason = "decrease";
    else if (maxAbs(gradient) <= options.gradientTolerance) reason = "gradient";
    else if (iterations >= options.maxIterations) reason = "maxIterations";
    if (reason) {
      if (currentX !== x) x.set(currentX);
      return { value, iterations, evaluations, reason };
    }
  }
}

/**
 * The two-loop recursion, direction = −H·gradient, with each update fused with the next dot product
 * so that every stored vector is read once per loop (this runs on the main thread between
 * evaluations, so its passes over memory count).
 */
function twoLoopDirection(
  gradient: Float64Array,
  s: Float64Array[],
  y: Float64Array[],
  rho: Float64Array,
  alpha: Float64Array,
  pairs: number,
  newest: number,
  direction: Float64Array,
): void {
  const memory = s.length;
  const n = direction.length;
  const pair = (k: number) => (newest - k + memory) % memory;
  if (pairs === 0) {
    for (let i = 0; i < n; i++) direction[i] = -gradient[i]!;
    return;
  }
  // First loop, newest to oldest: alpha_j = rho_j s_j·q; q -= alpha_j y_j; starting from q = −gradient.
  let sNext = s[pair(0)]!;
  let projection = 0;
  for (let i = 0; i < n; i++) {
    const q = -gradient[i]!;
    direction[i] = q;
    projection += sNext[i]! * q;
  }
  for (let k = 0; k < pairs; k++) {
    const j = pair(k);
    const a = rho[j]! * projection;
    alpha[j] = a;
    const yj = y[j]!;
    projection = 0;
    if (k + 1 < pairs) {
      sNext = s[pair(k + 1)]!;
      for (let i = 0; i < n; i++) {
        const q = direction[i]! - a * yj[i]!;
        direction[i] = q;
        projection += sNext[i]! * q;
      }
    } else {
      for (let i = 0; i < n; i++) direction[i] = direction[i]! - a * yj[i]!;
    }
  }
  // Scale by gamma = s·y / y·y of the newest pair, fused with the first dot of the second loop.
  const yNewest = y[newest]!;
  let yy = 0;
  for (let i = 0; i < n; i++) yy += yNewest[i]! * yNewest[i]!;
  const gamma = 1 / (rho[newest]! * yy);
  let yOldest = y[pair(pairs - 1)]!;
  projection = 0;
  for (let i = 0; i < n; i++) {
    const r = direction[i]! * gamma;
    direction[i] = r;
    projection += yOldest[i]! * r;
  }
  // Second loop, oldest to newest: r += (alpha_j − rho_j y_j·r) s_j.
  for (let k = pairs - 1; k >= 0; k--) {
    const j = pair(k);
    const b = alpha[j]! - rho[j]! * projection;
    const sj = s[j]!;
    projection = 0;
    if (k > 0) {
      yOldest = y[pair(k - 1)]!;
      for (let i = 0; i < n; i++) {
        const r = direction[i]! + b * sj[i]!;
        direction[i] = r;
        projection += yOldest[i]! * r;
      }
    } else {
      for (let i = 0; i < n; i++) direction[i] = direction[i]! + b * sj[i]!;
    }
  }
}

interface SearchResult {
  found: boolean;
  value: number;
  evaluations: number;
}

/** Minimiser of the cubic through (a, fa, da) and (b, fb, db), kept inside [lo, hi] of the bracket. */
function cubicMinimizer(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const radicand = d1 * d1 - da * db;
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  const margin = 0.1 * (hi - lo);
  if (radicand >= 0) {
    const d2 = Math.sign(b - a) * Math.sqrt(radicand);
    const step = b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
    if (Number.isFinite(step) && step > lo + margin && step < hi - margin) return step;
  }
  return (a + b) / 2;
}

/**
 * Finds a step t along `direction` from `x0` satisfying the strong Wolfe conditions. The accepted
 * point and its gradient are left in `xOut` / `gradientOut`.
 */
function strongWolfeSearch(
  objective: Objective,
  x0: Float64Array,
  f0: number,
  slope0: number,
  direction: Float64Array,
  firstStep: number,
  xOut: Float64Array,
  gradientOut: Float64Array,
  maxEvaluations: number,
): SearchResult {
  let evaluations = 0;
  const evaluate = (t: number): [number, number] => {
    for (let i = 0; i < xOut.length; i++) xOut[i] = x0[i]! + t * direction[i]!;
    evaluations++;
    const f = objective(xOut, gradientOut);
    return [f, dot(gradientOut, direction)];
  };
  const sufficient = (t: number, f: number) => f <= f0 + WOLFE_C1 * t * slope0;
  const curvature = (d: number) => Math.abs(d) <= -WOLFE_C2 * slope0;

  let previousStep = 0;
  let previousValue = f0;
  let previousSlope = slope0;
  let step = firstStep;
  let lo = 0;
  let loValue = f0;
  let loSlope = slope0;
  let hi = 0;
  let hiValue = 0;
  let hiSlope = 0;
  let bracketed = false;
  while (!bracketed) {
    const [f, d] = evaluate(step);
    if (!Number.isFinite(f)) {
      step = (previousStep + step) / 2;
      if (evaluations >= maxEvaluations) return { found: false, value: f0, evaluations };
      continue;
    }
    if (!sufficient(step, f) || (evaluations > 1 && f >= previousValue)) {
      [lo, loValue, loSlope, hi, hiValue, hiSlope] = [previousStep, previousValue, previousSlope, step, f, d];
      bracketed = true;
    } else if (curvature(d)) {
      return { found: true, value: f, evaluations };
    } else if (d >= 0) {
      [lo, loValue, loSlope, hi, hiValue, hiSlope] = [step, f, d, previousStep, previousValue, previousSlope];
      bracketed = true;
    } else {
      if (evaluations >= maxEvaluations) return { found: true, value: f, evaluations };
      [previousStep, previousValue, previousSlope] = [step, f, d];
      step *= 2;
    }
  }
  while (evaluations < maxEvaluations) {
    const t = cubicMinimizer(lo, loValue, loSlope, hi, hiValue, hiSlope);
    const [f, d] = evaluate(t);
    if (!sufficient(t, f) || f >= loValue) {
      [hi, hiValue, hiSlope] = [t, f, d];
    } else {
      if (curvature(d)) return { found: true, value: f, evaluations };
      if (d * (hi - lo) >= 0) [hi, hiValue, hiSlope] = [lo, loValue, loSlope];
      [lo, loValue, loSlope] = [t, f, d];
    }
  }
  // Out of evaluations: accept the best sufficient-decrease point if there is one.
  if (lo > 0 && loValue < f0) {
    const [f] = evaluate(lo);
    return { found: true, value: f, evaluations };
  }
  return { found: false, value: f0, evaluations };
}
