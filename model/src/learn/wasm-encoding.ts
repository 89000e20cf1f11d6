/** The few pieces of the WebAssembly binary format that `softmax-wasm.ts` emits. */

export const TYPE = { i32: 0x7f, f64: 0x7c, v128: 0x7b, func: 0x60 } as const;

export const OP = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  f64Load: 0x2b,
  f64Store: 0x39,
  i32Const: 0x41,
  i32LtS: 0x48,
  i32GeS: 0x4e,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32Shl: 0x74,
  f64Add: 0xa0,
  f64Mul: 0xa2,
  /** Block type of a block or loop that yields nothing. */
  void: 0x40,
} as const;

/** SIMD instructions: the 0xfd prefix, then the opcode as unsigned LEB128. */
export const SIMD = { v128Load: 0, v128Store: 11, f64x2Splat: 20, f64x2Add: 240, f64x2Mul: 242 } as const;

export function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

export function signedLeb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const signBitClear = (byte & 0x40) === 0;
    if ((value === 0 && signBitClear) || (value === -1 && !signBitClear)) {
      bytes.push(byte);
      return bytes;
    }
    bytes.push(byte | 0x80);
  }
}

export function simd(opcode: number): number[] {
  return [0xfd, ...unsignedLeb(opcode)];
}

/** A load/store immediate: log2 of the alignment hint and a constant byte offset. */
export function memarg(alignLog2: number, offset: number): number[] {
  return [...unsignedLeb(alignLog2), ...unsignedLeb(offset)];
}

export function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

export function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...unsignedLeb(bytes.length), ...bytes];
}

export function section(id: number, content: number[]): number[] {
  return [id, ...unsignedLeb(content.length), ...content];
}

export const SECTION = { type: 1, import: 2, function: 3, export: 7, code: 10 } as const;

export const MAGIC_AND_VERSION = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
