import { describe, expect, it } from "vitest";
import { createSharedBuffers } from "../../src/learn/shared-buffers.js";
import { accumulateSoftmaxLoss, parameterCount } from "../../src/learn/softmax-loss.js";
import { softmaxWasmBytes } from "../../src/learn/softmax-wasm.js";
import { signedLeb, unsignedLeb } from "../../src/learn/wasm-encoding.js";
import { WasmSoftmaxKernel } from "../../src/learn/wasm-kernel.js";
import { randomCsr, seededRandom } from "./helpers.js";

describe("WebAssembly softmax kernel", () => {
  // 600 rows span several 256-row blocks; a 3% density leaves some rows empty.
  it.each([1, 2, 3, 7, 20, 21])("equals accumulateSoftmaxLoss bit for bit with %i classes", (classes) => {
    const random = seededRandom(classes);
    const X = randomCsr(600, 40, 0.03 + 0.05 * random(), random);
    const y = Int32Array.from({ length: X.rows }, () => Math.floor(random() * classes));
    const buffers = createSharedBuffers(X, y, classes);
    const shuffled = Int32Array.from({ length: X.rows }, (_, i) => (i * 7919) % X.rows);
    buffers.rows.set(shuffled);
    const dimension = parameterCount(X.cols, classes);
    for (let i = 0; i < dimension; i++) buffers.weights[i] = 4 * (random() - 0.5);
    for (let i = 0; i < dimension; i++) buffers.firstGradient[i] = random() - 0.5;
    const expectedGradient = Float64Array.from(buffers.firstGradient);
    const [from, to] = [5, 590];

    const expectedLoss = accumulateSoftmaxLoss(
      X,
      y,
      classes,
      shuffled,
      from,
      to,
      buffers.weights,
      expectedGradient,
      new Float64Array(classes),
    );
    const kernel = new WasmSoftmaxKernel(buffers.memory, classes, buffers.firstBlock);
    const loss = kernel.accumulate(
      buffers.X,
      buffers.y,
      buffers.rows,
      from,
      to,
      buffers.weights,
      buffers.firstGradient,
    );

    expect(loss).toBe(expectedLoss);
    expect(
      Buffer.from(buffers.firstGradient.buffer, buffers.firstGradient.byteOffset, 8 * dimension),
    ).toEqual(Buffer.from(expectedGradient.buffer));
  });

  it.each([0, -3, 2.5, Number.NaN, 257])("rejects the class count %s", (classes) => {
    expect(() => softmaxWasmBytes(classes)).toThrow(RangeError);
  });

  it("emits valid modules up to 256 classes", () => {
    for (const classes of [1, 2, 64, 255, 256])
      expect(WebAssembly.validate(softmaxWasmBytes(classes))).toBe(true);
  });

  it("rejects arrays outside its memory", () => {
    const X = randomCsr(10, 4, 0.5, seededRandom(1));
    const y = new Int32Array(10);
    const buffers = createSharedBuffers(X, y, 2);
    const kernel = new WasmSoftmaxKernel(buffers.memory, 2, buffers.firstBlock);
    const outside = new Float64Array(buffers.firstGradient.length);
    expect(() =>
      kernel.accumulate(buffers.X, buffers.y, buffers.rows, 0, 10, buffers.weights, outside),
    ).toThrow(/not in the kernel's memory/);
  });

  it("rejects short parameter arrays and row ranges outside the rows", () => {
    const X = randomCsr(10, 4, 0.5, seededRandom(2));
    const buffers = createSharedBuffers(X, new Int32Array(10), 2);
    const kernel = new WasmSoftmaxKernel(buffers.memory, 2, buffers.firstBlock);
    const { rows, weights, firstGradient } = buffers;
    const short = weights.subarray(1);
    expect(() => kernel.accumulate(buffers.X, buffers.y, rows, 0, 10, short, firstGradient)).toThrow(
      /need 10/,
    );
    expect(() => kernel.accumulate(buffers.X, buffers.y, rows, 0, 11, weights, firstGradient)).toThrow(
      /\[0, 11\)/,
    );
    expect(() => kernel.accumulate(buffers.X, buffers.y, rows, 3, 2, weights, firstGradient)).toThrow(
      /row range/,
    );
  });

  it.each<[number, number[]]>([
    [0, [0]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [624485, [0xe5, 0x8e, 0x26]],
  ])("encodes %i as unsigned LEB128", (value, bytes) => {
    expect(unsignedLeb(value)).toEqual(bytes);
  });

  it.each<[number, number[]]>([
    [0, [0]],
    [-1, [0x7f]],
    [63, [0x3f]],
    [64, [0xc0, 0x00]],
    [-64, [0x40]],
    [-123456, [0xc0, 0xbb, 0x78]],
  ])("encodes %i as signed LEB128", (value, bytes) => {
    expect(signedLeb(value)).toEqual(bytes);
  });
});
