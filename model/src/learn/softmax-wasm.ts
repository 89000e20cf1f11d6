/**
 * The hot loops of `accumulateSoftmaxLoss` as WebAssembly SIMD, generated once per class count:
 * `forward` computes a block of rows' scores x·W + b, JavaScript turns them into residuals
 * softmax − onehot (Math.exp is not in WebAssembly), `backward` scatters xᵀ·residuals into the
 * gradient. Each f64x2 lane holds one class and WebAssembly never fuses a multiply-add, so every
 * number is computed by the same operations in the same order as `accumulateSoftmaxLoss`: the results
 * are bit-identical. The module imports a shared memory, so worker threads run it on the same data.
 */
import {
  MAGIC_AND_VERSION,
  memarg,
  name,
  OP,
  SECTION,
  section,
  signedLeb,
  SIMD,
  simd,
  TYPE,
  unsignedLeb,
  vector,
} from "./wasm-encoding.js";

export const MAX_CLASSES = 256;

/** Parameters of both functions, all i32 (pointers are byte offsets into the shared memory). */
const P = { indptr: 0, indices: 1, values: 2, rows: 3, from: 4, to: 5, matrix: 6, intercept: 7, block: 8 };
const PARAMETER_COUNT = 9;
/** Locals after the parameters; lanes (one v128 per class pair) and the odd class's f64 follow `splat`. */
const L = { k: 9, end: 10, base: 11, value: 12, splat: 13, firstLane: 14 };

type Pass = "forward" | "backward";

function functionBody(classes: number, pass: Pass): number[] {
  const pairs = classes >> 1;
  const odd = classes % 2 === 1;
  const tail = L.firstLane + pairs;
  const tailOffset = 8 * (classes - 1);
  const rowBytes = 8 * classes;
  const get = (local: number) => [OP.localGet, ...unsignedLeb(local)];
  const set = (local: number) => [OP.localSet, ...unsignedLeb(local)];
  const i32 = (value: number) => [OP.i32Const, ...signedLeb(value)];
  const loadV = (offset: number) => [...simd(SIMD.v128Load), ...memarg(3, offset)];
  const storeV = (offset: number) => [...simd(SIMD.v128Store), ...memarg(3, offset)];
  const loadF = (offset: number) => [OP.f64Load, ...memarg(3, offset)];
  const storeF = (offset: number) => [OP.f64Store, ...memarg(3, offset)];
  const addV = simd(SIMD.f64x2Add);
  const mulV = simd(SIMD.f64x2Mul);
  const lanes = (emit: (lane: number, offset: number) => number[]) =>
    Array.from({ length: pairs }, (_, j) => emit(L.firstLane + j, 16 * j)).flat();
  const ifOdd = (code: number[]) => (odd ? code : []);

  /** Per row: lanes ← intercept (forward), or lanes ← residuals and intercept gradient += lanes. */
  const rowStart =
    pass === "forward"
      ? [
          ...lanes((lane, offset) => [...get(P.intercept), ...loadV(offset), ...set(lane)]),
          ...ifOdd([...get(P.intercept), ...loadF(tailOffset), ...set(tail)]),
        ]
      : [
          ...lanes((lane, offset) => [...get(P.block), ...loadV(offset), ...set(lane)]),
          ...ifOdd([...get(P.block), ...loadF(tailOffset), ...set(tail)]),
          ...lanes((lane, offset) => [
            ...get(P.intercept),
            ...get(P.intercept),
            ...loadV(offset),
            ...get(lane),
            ...addV,
            ...storeV(offset),
          ]),
          ...ifOdd([
            ...get(P.intercept),
            ...get(P.intercept),
            ...loadF(tailOffset),
            ...get(tail),
            OP.f64Add,
            ...storeF(tailOffset),
          ]),
        ];
  /** Per nonzero (value v at column base): lanes += v·W[base] (forward), or G[base] += v·lanes. */
  const nonzero =
    pass === "forward"
      ? [
          ...lanes((lane, offset) => [
            ...get(lane),
            ...get(L.splat),
            ...get(L.base),
            ...loadV(offset),
            ...mulV,
            ...addV,
            ...set(lane),
          ]),
          ...ifOdd([
            ...get(tail),
            ...get(L.value),
            ...get(L.base),
            ...loadF(tailOffset),
            OP.f64Mul,
            OP.f64Add,
            ...set(tail),
          ]),
        ]
      : [
          ...lanes((lane, offset) => [
            ...get(L.base),
            ...get(L.base),
            ...loadV(offset),
            ...get(L.splat),
            ...get(lane),
            ...mulV,
            ...addV,
            ...storeV(offset),
          ]),
          ...ifOdd([
            ...get(L.base),
            ...get(L.base),
            ...loadF(tailOffset),
            ...get(L.value),
            ...get(tail),
            OP.f64Mul,
            OP.f64Add,
            ...storeF(tailOffset),
          ]),
        ];
  const rowEnd =
    pass === "forward"
      ? [
          ...lanes((lane, offset) => [...get(P.block), ...get(lane), ...storeV(offset)]),
          ...ifOdd([...get(P.block), ...get(tail), ...storeF(tailOffset)]),
        ]
      : [];

  const code = [
    ...[OP.block, OP.void, ...get(P.from), ...get(P.to), OP.i32GeS, OP.brIf, 0],
    ...[OP.loop, OP.void],
    // k = indptr[row], end = indptr[row + 1] where row = rows[from]
    ...[...get(P.rows), ...get(P.from), ...i32(2), OP.i32Shl, OP.i32Add, OP.i32Load, ...memarg(2, 0)],
    ...[...i32(2), OP.i32Shl, ...get(P.indptr), OP.i32Add, OP.localTee, ...unsignedLeb(L.base)],
    ...[OP.i32Load, ...memarg(2, 0), ...set(L.k), ...get(L.base), OP.i32Load, ...memarg(2, 4), ...set(L.end)],
    ...rowStart,
    ...[OP.block, OP.void, ...get(L.k), ...get(L.end), OP.i32GeS, OP.brIf, 0],
    ...[OP.loop, OP.void],
    // base = matrix + indices[k] · rowBytes; value = values[k]; splat = (value, value)
    ...[...get(P.indices), ...get(L.k), ...i32(2), OP.i32Shl, OP.i32Add, OP.i32Load, ...memarg(2, 0)],
    ...[...i32(rowBytes), OP.i32Mul, ...get(P.matrix), OP.i32Add, ...set(L.base)],
    ...[...get(P.values), ...get(L.k), ...i32(3), OP.i32Shl, OP.i32Add, ...loadF(0)],
    ...[OP.localTee, ...unsignedLeb(L.value), ...simd(SIMD.f64x2Splat), ...set(L.splat)],
    ...nonzero,
    ...[...get(L.k), ...i32(1), OP.i32Add, OP.localTee, ...unsignedLeb(L.k), ...get(L.end), OP.i32LtS],
    ...[OP.brIf, 0, OP.end, OP.end],
    ...rowEnd,
    ...[...get(P.block), ...i32(rowBytes), OP.i32Add, ...set(P.block)],
    ...[...get(P.from), ...i32(1), OP.i32Add, OP.localTee, ...unsignedLeb(P.from), ...get(P.to), OP.i32LtS],
    ...[OP.brIf, 0, OP.end, OP.end, OP.end],
  ];
  const locals = vector([
    [3, TYPE.i32],
    [1, TYPE.f64],
    [...unsignedLeb(1 + pairs), TYPE.v128],
    ...(odd ? [[1, TYPE.f64]] : []),
  ]);
  const body = [...locals, ...code];
  return [...unsignedLeb(body.length), ...body];
}

/** The module's bytes for `classes` classes (exported for tests). */
export function softmaxWasmBytes(classes: number): Uint8Array {
  if (!Number.isInteger(classes) || classes < 1 || classes > MAX_CLASSES) {
    throw new RangeError(`bad class count ${classes}: need an integer in 1..${MAX_CLASSES}`);
  }
  const signature = [TYPE.func, ...vector(Array.from({ length: PARAMETER_COUNT }, () => [TYPE.i32])), 0];
  const sharedMemoryLimits = [0x03, ...unsignedLeb(0), ...unsignedLeb(65536)];
  return Uint8Array.from([
    ...MAGIC_AND_VERSION,
    ...section(SECTION.type, vector([signature])),
    ...section(SECTION.import, vector([[...name("env"), ...name("memory"), 0x02, ...sharedMemoryLimits]])),
    ...section(SECTION.function, vector([[0], [0]])),
    ...section(
      SECTION.export,
      vector([
        [...name("forward"), 0x00, 0],
        [...name("backward"), 0x00, 1],
      ]),
    ),
    ...section(SECTION.code, vector([functionBody(classes, "forward"), functionBody(classes, "backward")])),
  ]);
}

const modules = new Map<number, WebAssembly.Module>();

export function softmaxWasmModule(classes: number): WebAssembly.Module {
  let module = modules.get(classes);
  if (!module) {
    module = new WebAssembly.Module(softmaxWasmBytes(classes));
    modules.set(classes, module);
  }
  return module;
}
