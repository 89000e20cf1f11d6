import { describe, expect, it } from "vitest";
import { minimizeLbfgs, type Objective } from "../../src/learn/lbfgs.js";

const rosenbrock: Objective = (x, gradient) => {
  let value = 0;
  gradient.fill(0);
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1]! - x[i]! ** 2;
    const b = 1 - x[i]!;
    value += 100 * a * a + b * b;
    gradient[i]! += -400 * a * x[i]! - 2 * b;
    gradient[i + 1]! += 200 * a;
  }
  return value;
};

describe("minimizeLbfgs", () => {
  it("finds the minimum of the Rosenbrock function", () => {
    const x = new Float64Array(10).fill(-1.2);
    const result = minimizeLbfgs(rosenbrock, x, {
      maxIterations: 500,
      gradientTolerance: 1e-8,
      relativeDecreaseTolerance: 0,
    });
    expect(result.reason).toBe("gradient");
    x.forEach((value) => expect(value).toBeCloseTo(1, 5));
    expect(result.value).toBeLessThan(1e-10);
  });

  const quadratic = (decades: number): Objective => {
    const scales = Float64Array.from({ length: 50 }, (_, i) => 10 ** ((decades * i) / 49));
    return (x, gradient) => {
      let value = 0;
      x.forEach((xi, i) => {
        value += 0.5 * scales[i]! * (xi - 1) ** 2;
        gradient[i] = scales[i]! * (xi - 1);
      });
      return value;
    };
  };

  it("solves a quadratic with condition number 100", () => {
    const x = new Float64Array(50);
    const options = { maxIterations: 200, gradientTolerance: 1e-6, relativeDecreaseTolerance: 0 };
    const result = minimizeLbfgs(quadratic(2), x, options);
    expect(result.reason).toBe("gradient");
    x.forEach((value) => expect(value).toBeCloseTo(1, 6));
  });

  // SciPy 1.10 minimize(method="L-BFGS-B", options={maxiter, gtol: 1e-6, ftol: 0}) from zeros printed
  // these function values and evaluation counts on the quadratic with condition number 1000.
  it.each([
    [20, 5.711534538815697, 21],
    [40, 0.4801848618180234, 42],
    [80, 0.004069952748332619, 83],
  ])("tracks SciPy's L-BFGS-B: %d iterations", (iterations, scipyValue, scipyEvaluations) => {
    const x = new Float64Array(50);
    const options = { maxIterations: iterations, gradientTolerance: 1e-6, relativeDecreaseTolerance: 0 };
    const result = minimizeLbfgs(quadratic(3), x, options);
    expect(result.value / scipyValue).toBeCloseTo(1, 6);
    expect(result.evaluations).toBe(scipyEvaluations);
  });

  it("stops at maxIterations", () => {
    const x = new Float64Array(10).fill(-1.2);
    const result = minimizeLbfgs(rosenbrock, x, { maxIterations: 3, gradientTolerance: 0 });
    expect(result).toMatchObject({ reason: "maxIterations", iterations: 3 });
  });

  it("returns at once from a stationary point", () => {
    const x = new Float64Array(4).fill(1);
    expect(minimizeLbfgs(rosenbrock, x, { maxIterations: 10, gradientTolerance: 1e-9 })).toMatchObject({
      iterations: 0,
      reason: "gradient",
    });
  });
});
