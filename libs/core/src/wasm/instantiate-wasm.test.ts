import { describe, expect, it } from 'vitest';
import { createWasmMemory, instantiateWasm } from '@omnitrain/core';

// Compiled by tools/build-wasm.mjs from:
//   export function poke(at: usize, value: i32): void { store<i32>(at, value * 3); }
const POKE = 'AGFzbQEAAAABBgFgAn9/AAIPAQNlbnYGbWVtb3J5AgAAAwIBAAcIAQRwb2tlAAAKDgEMACAAIAFBA2w2AgAL';

describe('instantiateWasm', () => {
  it('runs a module on the memory the caller passes, each instance on its own memory', () => {
    const a = createWasmMemory(1);
    const b = createWasmMemory(2);
    const pokeA = instantiateWasm(POKE, a).poke as (at: number, value: number) => void;
    const pokeB = instantiateWasm(POKE, b).poke as (at: number, value: number) => void;
    const at = 4 * Math.floor(Math.random() * 1000);
    const value = Math.floor(Math.random() * 1e6);
    pokeA(at, value);
    pokeB(at + 8, value + 1);
    expect(new Int32Array(a.buffer)[at / 4]).toBe(value * 3);
    expect(new Int32Array(a.buffer)[at / 4 + 2]).toBe(0);
    expect(new Int32Array(b.buffer)[at / 4 + 2]).toBe((value + 1) * 3);
    expect(b.buffer.byteLength).toBe(2 * 65536);
  });
});
