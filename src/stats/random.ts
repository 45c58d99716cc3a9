/**
 * Seeded pseudo-random numbers for simulations and tests: xoshiro128** (Blackman & Vigna 2018,
 * "Scrambled linear pseudorandom number generators", 32-bit state words, period 2^128 − 1),
 * seeded through a murmur3-style 32-bit finaliser on a Weyl sequence so that nearby integer
 * seeds give unrelated streams. Normals by the Box-Muller transform (Box & Muller 1958).
 * Reproducible across platforms: only 32-bit integer arithmetic (Math.imul, >>>) is used.
 * Not for cryptography.
 */
import { ModelError } from "../core/errors.ts";

export interface Rng {
  /** Next raw 32-bit output (unsigned). */
  nextUint32(): number;
  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * xoshiro128** on an explicit state (4 unsigned 32-bit words, not all zero). The state array is
 * advanced in place; exposed so the generator can be checked against hand-computed outputs.
 */
export function xoshiro128ssNext(s: Uint32Array): number {
  const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
  const t = (s[1] << 9) >>> 0;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result;
}

/** Expand a seed into a non-zero 128-bit state (a zero state would be a fixed point). */
function seedState(seed: number): Uint32Array {
  const s = new Uint32Array(4);
  let w = seed >>> 0;
  for (let i = 0; i < 4; i++) {
    w = (w + 0x9e3779b9) >>> 0;
    let z = w;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    s[i] = (z ^ (z >>> 16)) >>> 0;
  }
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  return s;
}

/** A reproducible generator for integer `seed` (the same seed gives the same stream everywhere). */
export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed)) throw new ModelError(`createRng: seed must be an integer, got ${seed}`);
  const state = seedState(seed);
  let spare = Number.NaN;
  const nextUint32 = (): number => xoshiro128ssNext(state);
  const uniform = (): number => {
    // 27 + 26 bits, as in the usual 53-bit double construction
    const hi = nextUint32() >>> 5;
    const lo = nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  };
  const normal = (): number => {
    if (!Number.isNaN(spare)) {
      const z = spare;
      spare = Number.NaN;
      return z;
    }
    // 1 − u lies in (0, 1], so the logarithm is finite
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
  return { nextUint32, uniform, normal };
}

/** `n` independent standard normals. */
export function normals(rng: Rng, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  return out;
}
