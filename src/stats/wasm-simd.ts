/**
 * Hand-assembled WebAssembly kernels with 128-bit SIMD (f64x2: two doubles per instruction) for
 * the three loops that dominate an ACM estimation and its daily decomposition:
 *
 *  - `centre`, `syrk`: column means, and S = Cᵀ C of the centred panel (the covariance of a PCA,
 *    T N² / 2 multiply-adds);
 *  - `symm`: S V for the subspace iteration of the top eigenvectors (./eigen.ts);
 *  - `qr`, `qty`, `resid`: Householder QR, Qᵀ Y and Y − X B of least squares with several
 *    right-hand sides (./qr.ts, ./ols.ts);
 *  - `project`: PCA scores F = (Y − means) W of many curves on K loadings;
 *  - `price`: affine yields −(1200/n)(A_n + B_nᵀ x) with and without prices of risk, and their
 *    difference, for every date and maturity;
 *  - `affine`: a_n + e_t(n) + b_nᵀ x_t, the synthetic panels of the bootstrap (../termstructure/bands.ts);
 *  - `finiteProbe`: whether a block of doubles is all finite (the ACM input check).
 *
 * Why WebAssembly: V8 compiles JavaScript's scalar loops to scalar x86 code with a bounds check
 * per typed-array access; these kernels need roughly a third of the instructions. Why by hand:
 * the repo has no compiler toolchain for wasm, and each kernel is a few nested loops, so ~200
 * lines of byte emission beat a build step.
 *
 * Bit-for-bit reproducibility: WebAssembly arithmetic is IEEE-754 with one rounding per
 * operation and never fuses a multiply into an add, so a kernel that performs the same
 * operations in the same order as a JavaScript loop returns the same bits. Every kernel below
 * keeps the order of its JavaScript fallback (each sum runs over its index in increasing order
 * from a zero or the same first term; SIMD lanes only run independent sums side by side);
 * test/stats/simd-perf-regression.test.ts checks this against plain loops.
 *
 * All kernels share one growable memory per thread (workers get their own). Callers copy inputs
 * in at byte offsets of their choosing, call, and copy results out; nothing persists between
 * calls. `simdKernels()` is null where WebAssembly SIMD is unavailable: callers then run their
 * JavaScript loops.
 */

/** Unsigned LEB128, the integer encoding of WebAssembly binaries. */
function leb(v: number): number[] {
  const out: number[] = [];
  let x = v >>> 0;
  do {
    let b = x & 0x7f;
    x >>>= 7;
    if (x !== 0) b |= 0x80;
    out.push(b);
  } while (x !== 0);
  return out;
}

/** Signed LEB128 for i32.const (values up to 2^31 − 1). */
function sleb(v: number): number[] {
  const out: number[] = [];
  let x = v | 0;
  for (;;) {
    const b = x & 0x7f;
    x >>= 7;
    if ((x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

type Code = number | Code[];

/** Instruction emitters (WebAssembly core 2.0 opcodes and the fixed-width SIMD proposal). */
const I = {
  get: (l: number): Code => [0x20, ...leb(l)],
  set: (l: number): Code => [0x21, ...leb(l)],
  tee: (l: number): Code => [0x22, ...leb(l)],
  i32: (v: number): Code => [0x41, ...sleb(v)],
  add: 0x6a,
  sub: 0x6b,
  mul: 0x6c,
  eqz: 0x45,
  geU: 0x4f,
  /** Addresses are multiples of 8: alignment hint 2^3 for every load and store. */
  f64Load: (offset = 0): Code => [0x2b, 3, ...leb(offset)],
  f64Store: (offset = 0): Code => [0x39, 3, ...leb(offset)],
  f64Sub: 0xa1,
  f64Zero: [0x44, 0, 0, 0, 0, 0, 0, 0, 0] as Code,
  vLoad: (offset = 0): Code => [0xfd, 0x00, 3, ...leb(offset)],
  vStore: (offset = 0): Code => [0xfd, 0x0b, 3, ...leb(offset)],
  splat: [0xfd, 0x14] as Code,
  vAdd: [0xfd, ...leb(0xf0)] as Code,
  vSub: [0xfd, ...leb(0xf1)] as Code,
  vMul: [0xfd, ...leb(0xf2)] as Code,
  vDiv: [0xfd, ...leb(0xf3)] as Code,
  /** `while (cond) body`, cond leaving 1 to stop: block { loop { cond; br_if 1; body; br 0 } }. */
  whileNot: (stop: Code, body: Code): Code => [
    0x02,
    0x40,
    0x03,
    0x40,
    stop,
    0x0d,
    1,
    body,
    0x0c,
    0,
    0x0b,
    0x0b,
  ],
};

function flat(c: Code, out: number[] = []): number[] {
  if (typeof c === "number") out.push(c);
  else for (const x of c) flat(x, out);
  return out;
}

interface FuncDef {
  name: string;
  params: number;
  i32Locals: number;
  /** f64 locals come after the i32 ones and before the v128 ones. */
  f64Locals?: number;
  /** Returns one f64 (else nothing). */
  returnsF64?: boolean;
  v128Locals: number;
  body: Code;
}

/** `x += step` for an i32 local. */
function bump(l: number, step: Code): Code {
  return [I.get(l), step, I.add, I.set(l)];
}

/**
 * syrk(c, t, np, s): the 4 × 4 tiles on and above the diagonal of S = Cᵀ C (np × np, row-major,
 * byte offset s) for C row-major t × np (byte offset c), np a multiple of 4. Per tile and row:
 * two 128-bit loads give C[r, j..j+3], four scalar loads splatted give C[r, i..i+3], eight f64x2
 * multiply + add update the sixteen sums. 8 accumulators + 4 operands fit the 16 vector
 * registers of x86-64, so nothing spills (a 4 × 4 scalar tile in JavaScript does spill).
 */
function syrkDef(): FuncDef {
  const [C, T, NP, S, I0, J0, R, P, Q, RB, TILE] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const ACC = 11;
  const [Y01, Y23, X] = [19, 20, 21];
  const zero: Code[] = [];
  for (let a = 0; a < 8; a++) zero.push([I.f64Zero, I.splat, I.set(ACC + a)]);
  const rowBody: Code[] = [I.get(Q), I.vLoad(0), I.set(Y01), I.get(Q), I.vLoad(16), I.set(Y23)];
  for (let m = 0; m < 4; m++) {
    rowBody.push(I.get(P), I.f64Load(8 * m), I.splat, I.set(X));
    // acc = acc + x · y: the operand order of the scalar kernel's s += x * y
    for (const [acc, y] of [
      [ACC + 2 * m, Y01],
      [ACC + 2 * m + 1, Y23],
    ]) {
      rowBody.push(I.get(acc), I.get(X), I.get(y), I.vMul, I.vAdd, I.set(acc));
    }
  }
  rowBody.push(bump(P, I.get(RB)), bump(Q, I.get(RB)), [I.get(R), I.i32(1), I.sub, I.set(R)]);
  const store: Code[] = [
    [I.get(S), I.get(I0), I.get(NP), I.mul, I.get(J0), I.add, I.i32(8), I.mul, I.add, I.set(TILE)],
  ];
  for (let m = 0; m < 4; m++) {
    store.push(I.get(TILE), I.get(ACC + 2 * m), I.vStore(0));
    store.push(I.get(TILE), I.get(ACC + 2 * m + 1), I.vStore(16), bump(TILE, I.get(RB)));
  }
  const tile: Code = [
    zero,
    [I.get(C), I.get(I0), I.i32(8), I.mul, I.add, I.set(P)],
    [I.get(C), I.get(J0), I.i32(8), I.mul, I.add, I.set(Q)],
    [I.get(T), I.set(R)],
    I.whileNot([I.get(R), I.eqz], rowBody),
    store,
    bump(J0, I.i32(4)),
  ];
  const body: Code = [
    [I.get(NP), I.i32(8), I.mul, I.set(RB)],
    [I.i32(0), I.set(I0)],
    I.whileNot(
      [I.get(I0), I.get(NP), I.geU],
      [[I.get(I0), I.set(J0)], I.whileNot([I.get(J0), I.get(NP), I.geU], tile), bump(I0, I.i32(4))],
    ),
  ];
  return { name: "syrk", params: 4, i32Locals: 7, v128Locals: 11, body };
}

/**
 * symm(s, n, ns, v, p2, w): W = S V for S symmetric n × n (row-major, row stride ns doubles, ns a
 * multiple of 8, zero-padded) and V column-major (column c at v + c·ns doubles, p2 columns, p2
 * even); W column-major like V. Two rows of W per lane: S[i..i+1, j] is read as S[j, i..i+1],
 * equal by symmetry (callers check the matrix is exactly symmetric). Tiles of 8 rows × 2
 * columns: four 128-bit loads of S and two splats of V feed eight accumulators per j, summing
 * j = 0..n−1 in order, as the JavaScript loop does.
 */
function symmDef(): FuncDef {
  const [S, N, NS, V, P2, W] = [0, 1, 2, 3, 4, 5];
  const [C0, I0, J, PS, PV, CB] = [6, 7, 8, 9, 10, 11];
  const ACC = 12;
  const [X0, X1] = [20, 21];
  const SV = 22; // four loads of S
  const inner: Code[] = [
    I.get(PV),
    I.f64Load(0),
    I.splat,
    I.set(X0),
    I.get(PV),
    I.get(CB),
    I.add,
    I.f64Load(0),
    I.splat,
    I.set(X1),
  ];
  for (let m = 0; m < 4; m++) inner.push(I.get(PS), I.vLoad(16 * m), I.set(SV + m));
  for (let m = 0; m < 4; m++) {
    inner.push(I.get(ACC + m), I.get(SV + m), I.get(X0), I.vMul, I.vAdd, I.set(ACC + m));
    inner.push(I.get(ACC + 4 + m), I.get(SV + m), I.get(X1), I.vMul, I.vAdd, I.set(ACC + 4 + m));
  }
  inner.push(bump(PS, [I.get(NS), I.i32(8), I.mul]), bump(PV, I.i32(8)), bump(J, I.i32(1)));
  const tile: Code[] = [];
  for (let a = 0; a < 8; a++) tile.push(I.f64Zero, I.splat, I.set(ACC + a));
  tile.push([I.get(S), I.get(I0), I.i32(8), I.mul, I.add, I.set(PS)]);
  tile.push([I.get(V), I.get(C0), I.get(CB), I.mul, I.add, I.set(PV)]);
  tile.push([I.i32(0), I.set(J)], I.whileNot([I.get(J), I.get(N), I.geU], inner));
  // W[i0.., c0] and W[i0.., c0 + 1]
  for (let m = 0; m < 4; m++) {
    tile.push(I.get(W), I.get(C0), I.get(CB), I.mul, I.add, I.get(I0), I.i32(8), I.mul, I.add);
    tile.push(I.get(ACC + m), I.vStore(16 * m));
    tile.push(
      I.get(W),
      I.get(C0),
      I.i32(1),
      I.add,
      I.get(CB),
      I.mul,
      I.add,
      I.get(I0),
      I.i32(8),
      I.mul,
      I.add,
    );
    tile.push(I.get(ACC + 4 + m), I.vStore(16 * m));
  }
  tile.push(bump(I0, I.i32(8)));
  const body: Code = [
    [I.get(NS), I.i32(8), I.mul, I.set(CB)],
    [I.i32(0), I.set(C0)],
    I.whileNot(
      [I.get(C0), I.get(P2), I.geU],
      [[I.i32(0), I.set(I0)], I.whileNot([I.get(I0), I.get(NS), I.geU], tile), bump(C0, I.i32(2))],
    ),
  ];
  return { name: "symm", params: 6, i32Locals: 6, v128Locals: 14, body };
}

/**
 * qty(a, n, p, tau, y, m4): Y ← Qᵀ Y for a Householder QR (./qr.ts): a column-major n × p
 * (reflector k below the diagonal of column k), tau p doubles, Y row-major n × m4 (m4 a multiple
 * of 4). Per reflector (skipped when τ = 0) and four columns at a time: s = Σ_{i ≥ k} v_i Y[i, ·]
 * in row order, s ← τ s, Y[i, ·] ← Y[i, ·] − s v_i, as the JavaScript `reflect` does.
 */
function qtyDef(): FuncDef {
  const [A, N, P, TAU, Y, M4] = [0, 1, 2, 3, 4, 5];
  const [K, C, I_, PA, PY, RB, T] = [6, 7, 8, 9, 10, 11, 12];
  const [S0, S1, VV] = [13, 14, 15];
  const sweep = (body: Code): Code => [
    [I.get(A), I.get(K), I.get(N), I.mul, I.get(K), I.add, I.i32(8), I.mul, I.add, I.set(PA)],
    [I.get(Y), I.get(K), I.get(RB), I.mul, I.add, I.get(C), I.i32(8), I.mul, I.add, I.set(PY)],
    [I.get(K), I.set(I_)],
    I.whileNot(
      [I.get(I_), I.get(N), I.geU],
      [
        I.get(PA),
        I.f64Load(0),
        I.splat,
        I.set(VV),
        body,
        bump(PA, I.i32(8)),
        bump(PY, I.get(RB)),
        bump(I_, I.i32(1)),
      ],
    ),
  ];
  const cols: Code = [
    I.f64Zero,
    I.splat,
    I.set(S0),
    I.f64Zero,
    I.splat,
    I.set(S1),
    sweep([
      [I.get(S0), I.get(VV), I.get(PY), I.vLoad(0), I.vMul, I.vAdd, I.set(S0)],
      [I.get(S1), I.get(VV), I.get(PY), I.vLoad(16), I.vMul, I.vAdd, I.set(S1)],
    ]),
    [I.get(S0), I.get(T), I.f64Load(0), I.splat, I.vMul, I.set(S0)],
    [I.get(S1), I.get(T), I.f64Load(0), I.splat, I.vMul, I.set(S1)],
    sweep([
      [I.get(PY), I.get(PY), I.vLoad(0), I.get(S0), I.get(VV), I.vMul, I.vSub, I.vStore(0)],
      [I.get(PY), I.get(PY), I.vLoad(16), I.get(S1), I.get(VV), I.vMul, I.vSub, I.vStore(16)],
    ]),
    bump(C, I.i32(4)),
  ];
  const body: Code = [
    [I.get(M4), I.i32(8), I.mul, I.set(RB)],
    [I.i32(0), I.set(K)],
    I.whileNot(
      [I.get(K), I.get(P), I.geU],
      [
        [I.get(TAU), I.get(K), I.i32(8), I.mul, I.add, I.set(T)],
        // τ = 0: column k was already zero below the diagonal, H_k = I
        [I.get(T), I.f64Load(0), I.f64Zero, 0x61, I.eqz], // f64.eq, negated
        [0x04, 0x40, [I.i32(0), I.set(C)], I.whileNot([I.get(C), I.get(M4), I.geU], cols), 0x0b], // if … end
        bump(K, I.i32(1)),
      ],
    ),
  ];
  return { name: "qty", params: 6, i32Locals: 7, v128Locals: 3, body };
}

/**
 * qr(a, n, ps, p, rdiag, tau): Householder QR in place of A, row-major n × p with row stride
 * ps ≥ p + 3 doubles (the last four-column group of a reflection may run into the padding,
 * whose lanes are independent and ignored). Column k: scale = max |a_ik|, ‖·‖ = scale ·
 * √Σ (a_ik / scale)², α = −sign(a_kk) ‖·‖, v = a_·k − α e_k, τ = 2 / vᵀv; then the columns to the
 * right, four at a time, get s = Σ_{i ≥ k} v_i a_ij (row order), s ← τ s, a_ij ← a_ij − s v_i.
 * Every step is the JavaScript `householderQr`'s, in its order (see ./qr.ts).
 */
function qrDef(): FuncDef {
  const [A, N, PS, P, RD, TAU] = [0, 1, 2, 3, 4, 5];
  const [K, I_, PA, RB, C, PY] = [6, 7, 8, 9, 10, 11];
  const [SCALE, SS, V, SIGMA, X0, ALPHA, V0, T] = [12, 13, 14, 15, 16, 17, 18, 19];
  const [S0, VV] = [20, 21];
  const f64 = { abs: 0x99, max: 0xa5, div: 0xa3, sqrt: 0x9f, mul: 0xa2, add: 0xa0, sub: 0xa1, neg: 0x9a };
  const colK = (body: Code): Code => [
    [I.get(A), I.get(K), I.get(RB), I.mul, I.add, I.get(K), I.i32(8), I.mul, I.add, I.set(PA)],
    [I.get(K), I.set(I_)],
    I.whileNot([I.get(I_), I.get(N), I.geU], [body, bump(PA, I.get(RB)), bump(I_, I.i32(1))]),
  ];
  // one group of four columns from C: the dot products, then the update (as `reflect`)
  const sweep = (body: Code): Code => [
    [I.get(A), I.get(K), I.get(RB), I.mul, I.add, I.get(K), I.i32(8), I.mul, I.add, I.set(PA)],
    [I.get(A), I.get(K), I.get(RB), I.mul, I.add, I.get(C), I.i32(8), I.mul, I.add, I.set(PY)],
    [I.get(K), I.set(I_)],
    I.whileNot(
      [I.get(I_), I.get(N), I.geU],
      [
        [I.get(PA), I.f64Load(0), I.splat, I.set(VV)],
        body,
        bump(PA, I.get(RB)),
        bump(PY, I.get(RB)),
        bump(I_, I.i32(1)),
      ],
    ),
  ];
  const S1 = 22;
  const group: Code = [
    [I.f64Zero, I.splat, I.set(S0), I.f64Zero, I.splat, I.set(S1)],
    sweep([
      [I.get(S0), I.get(VV), I.get(PY), I.vLoad(0), I.vMul, I.vAdd, I.set(S0)],
      [I.get(S1), I.get(VV), I.get(PY), I.vLoad(16), I.vMul, I.vAdd, I.set(S1)],
    ]),
    [I.get(S0), I.get(T), I.splat, I.vMul, I.set(S0)],
    [I.get(S1), I.get(T), I.splat, I.vMul, I.set(S1)],
    sweep([
      [I.get(PY), I.get(PY), I.vLoad(0), I.get(S0), I.get(VV), I.vMul, I.vSub, I.vStore(0)],
      [I.get(PY), I.get(PY), I.vLoad(16), I.get(S1), I.get(VV), I.vMul, I.vSub, I.vStore(16)],
    ]),
    bump(C, I.i32(4)),
  ];
  const column: Code = [
    [I.f64Zero, I.set(SCALE)],
    colK([I.get(SCALE), I.get(PA), I.f64Load(0), f64.abs, f64.max, I.set(SCALE)]),
    // scale = 0: nothing to reflect (R_kk = 0, τ = 0)
    [I.get(SCALE), I.f64Zero, 0x61], // f64.eq
    [
      0x04,
      0x40, // if
      [I.get(RD), I.get(K), I.i32(8), I.mul, I.add, I.f64Zero, I.f64Store(0)],
      [I.get(TAU), I.get(K), I.i32(8), I.mul, I.add, I.f64Zero, I.f64Store(0)],
      0x05, // else
      [I.f64Zero, I.set(SS)],
      colK([
        I.get(PA),
        I.f64Load(0),
        I.get(SCALE),
        f64.div,
        I.tee(V),
        I.get(V),
        f64.mul,
        I.get(SS),
        0xa0,
        I.set(SS),
      ]),
      [I.get(SCALE), I.get(SS), f64.sqrt, f64.mul, I.set(SIGMA)],
      // x0 = a_kk; α = x0 ≥ 0 ? −σ : σ
      [I.get(A), I.get(K), I.get(RB), I.mul, I.add, I.get(K), I.i32(8), I.mul, I.add, I.set(PA)],
      [I.get(PA), I.f64Load(0), I.set(X0)],
      [I.get(SIGMA), f64.neg, I.get(SIGMA), I.get(X0), I.f64Zero, 0x66, 0x1b, I.set(ALPHA)], // f64.ge, select
      [I.get(X0), I.get(ALPHA), f64.sub, I.set(V0)],
      [I.get(PA), I.get(V0), I.f64Store(0)],
      // τ = 2 / (σσ − x0 x0 + v0 v0)
      [0x44, 0, 0, 0, 0, 0, 0, 0, 0x40, I.get(SIGMA), I.get(SIGMA), f64.mul, I.get(X0), I.get(X0), f64.mul],
      [f64.sub, I.get(V0), I.get(V0), f64.mul, f64.add, f64.div, I.set(T)],
      [I.get(TAU), I.get(K), I.i32(8), I.mul, I.add, I.get(T), I.f64Store(0)],
      [I.get(RD), I.get(K), I.i32(8), I.mul, I.add, I.get(ALPHA), I.f64Store(0)],
      [I.get(K), I.i32(1), I.add, I.set(C)],
      I.whileNot([I.get(C), I.get(P), I.geU], group),
      0x0b, // end if
    ],
    bump(K, I.i32(1)),
  ];
  const body: Code = [
    [I.get(PS), I.i32(8), I.mul, I.set(RB)],
    [I.i32(0), I.set(K)],
    I.whileNot([I.get(K), I.get(P), I.geU], column),
  ];
  return { name: "qr", params: 6, i32Locals: 6, f64Locals: 8, v128Locals: 3, body };
}

/**
 * finiteProbe(x, pairs): Σ v·0 over 2·pairs doubles from x, in four interleaved sums. The
 * result is 0 exactly when every value is finite (NaN·0 and ±Inf·0 are NaN, and NaN sticks):
 * a cheap yes/no before a caller searches for the offending element.
 */
function finiteProbeDef(): FuncDef {
  const [X, PAIRS] = [0, 1];
  const [PTR, END] = [2, 3];
  const [A0, A1, Z] = [4, 5, 6];
  const body: Code = [
    [I.f64Zero, I.splat, I.tee(Z), I.tee(A0), I.set(A1)],
    [I.get(X), I.set(PTR)],
    [I.get(X), I.get(PAIRS), I.i32(16), I.mul, I.add, I.set(END)],
    // two pairs per trip while at least two remain, then a last single pair
    I.whileNot(
      [I.get(END), I.get(PTR), I.sub, I.i32(32), 0x49], // i32.lt_u
      [
        [I.get(A0), I.get(PTR), I.vLoad(0), I.get(Z), I.vMul, I.vAdd, I.set(A0)],
        [I.get(A1), I.get(PTR), I.vLoad(16), I.get(Z), I.vMul, I.vAdd, I.set(A1)],
        bump(PTR, I.i32(32)),
      ],
    ),
    I.whileNot(
      [I.get(PTR), I.get(END), I.geU],
      [[I.get(A0), I.get(PTR), I.vLoad(0), I.get(Z), I.vMul, I.vAdd, I.set(A0)], bump(PTR, I.i32(16))],
    ),
    [I.get(A0), I.get(A1), I.vAdd, I.tee(A0), 0xfd, 0x21, 0, I.get(A0), 0xfd, 0x21, 1, 0xa0], // lanes, f64.add
  ];
  return { name: "finiteProbe", params: 2, i32Locals: 2, v128Locals: 3, returnsF64: true, body };
}

/**
 * resid(x, n, p, b, y, m4, out): out = Y − X B for X row-major n × p, B row-major p × m4, Y and
 * out row-major n × m4 (m4 a multiple of 4): each element starts from y and subtracts
 * x_tk b_k· for k = 0..p−1 in order, as the JavaScript loop does.
 */
function residDef(): FuncDef {
  const [X, N, P, B, Y, M4, OUT] = [0, 1, 2, 3, 4, 5, 6];
  const [R, C, K, PX, PB, RB, OFF] = [7, 8, 9, 10, 11, 12, 13];
  const [S0, S1, XX] = [14, 15, 16];
  const inner: Code = [
    I.get(PX),
    I.f64Load(0),
    I.splat,
    I.set(XX),
    [I.get(S0), I.get(XX), I.get(PB), I.vLoad(0), I.vMul, I.vSub, I.set(S0)],
    [I.get(S1), I.get(XX), I.get(PB), I.vLoad(16), I.vMul, I.vSub, I.set(S1)],
    bump(PX, I.i32(8)),
    bump(PB, I.get(RB)),
    bump(K, I.i32(1)),
  ];
  const cols: Code = [
    [I.get(R), I.get(RB), I.mul, I.get(C), I.i32(8), I.mul, I.add, I.set(OFF)],
    [I.get(Y), I.get(OFF), I.add, I.vLoad(0), I.set(S0)],
    [I.get(Y), I.get(OFF), I.add, I.vLoad(16), I.set(S1)],
    [I.get(X), I.get(R), I.get(P), I.mul, I.i32(8), I.mul, I.add, I.set(PX)],
    [I.get(B), I.get(C), I.i32(8), I.mul, I.add, I.set(PB)],
    [I.i32(0), I.set(K)],
    I.whileNot([I.get(K), I.get(P), I.geU], inner),
    [I.get(OUT), I.get(OFF), I.add, I.get(S0), I.vStore(0)],
    [I.get(OUT), I.get(OFF), I.add, I.get(S1), I.vStore(16)],
    bump(C, I.i32(4)),
  ];
  const body: Code = [
    [I.get(M4), I.i32(8), I.mul, I.set(RB)],
    [I.i32(0), I.set(R)],
    I.whileNot(
      [I.get(R), I.get(N), I.geU],
      [[I.i32(0), I.set(C)], I.whileNot([I.get(C), I.get(M4), I.geU], cols), bump(R, I.i32(1))],
    ),
  ];
  return { name: "resid", params: 7, i32Locals: 7, v128Locals: 3, body };
}

/**
 * centre(y, t, strideBytes, n2, means, c, cStrideBytes): column means of the first n2 (even)
 * values of t rows of y (rows strideBytes apart), then C[r, j] = y[r, j] − mean_j into rows of c.
 * Means accumulate row by row from zero and are divided by t, as in JavaScript. With an odd
 * number of real columns the last lane carries a neighbouring value: callers drop that mean, and
 * whatever lands in C's padding columns only reaches entries of S that are dropped too.
 */
function centreDef(): FuncDef {
  const [Y, T, SB, N2, M, C, CB] = [0, 1, 2, 3, 4, 5, 6];
  const [R, J, P, PC] = [7, 8, 9, 10];
  const D = 11; // splat of t (v128)
  const loopRows = (body: Code): Code => [
    [I.get(Y), I.set(P), I.get(C), I.set(PC), I.i32(0), I.set(R)],
    I.whileNot(
      [I.get(R), I.get(T), I.geU],
      [
        [I.i32(0), I.set(J)],
        I.whileNot([I.get(J), I.get(N2), I.geU], [body, bump(J, I.i32(2))]),
        bump(P, I.get(SB)),
        bump(PC, I.get(CB)),
        bump(R, I.i32(1)),
      ],
    ),
  ];
  const at = (base: number): Code => [I.get(base), I.get(J), I.i32(8), I.mul, I.add];
  const body: Code = [
    [I.i32(0), I.set(J)],
    I.whileNot([I.get(J), I.get(N2), I.geU], [at(M), I.f64Zero, I.splat, I.vStore(0), bump(J, I.i32(2))]),
    loopRows([at(M), at(M), I.vLoad(0), at(P), I.vLoad(0), I.vAdd, I.vStore(0)]),
    [I.get(T), 0xb8, I.splat, I.set(D)], // f64.convert_i32_u
    [I.i32(0), I.set(J)],
    I.whileNot(
      [I.get(J), I.get(N2), I.geU],
      [at(M), at(M), I.vLoad(0), I.get(D), I.vDiv, I.vStore(0), bump(J, I.i32(2))],
    ),
    loopRows([at(PC), at(P), I.vLoad(0), at(M), I.vLoad(0), I.vSub, I.vStore(0)]),
  ];
  return { name: "centre", params: 7, i32Locals: 4, v128Locals: 1, body };
}

/**
 * project{kp}(y, t, strideBytes, n, means, w, out): out[r, 0..kp) = Σ_j (y[r, j] − means_j) W[j, ·]
 * for r < t, W row-major n × kp (kp even, zero-padded columns), out row-major t × kp. The sum
 * runs over j = 0..n−1 in order for every (r, c), as in the JavaScript loop; the kp/2
 * accumulator pairs hold the components.
 */
function projectDef(kp: number): FuncDef {
  const [Y, T, SB, N, MEANS, W, OUT, R, J, P, PM, PW, PO] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const h = kp / 2;
  const ACC = 13;
  const Z = ACC + h;
  const inner: Code[] = [I.get(P), I.f64Load(0), I.get(PM), I.f64Load(0), I.f64Sub, I.splat, I.set(Z)];
  for (let c = 0; c < h; c++) {
    inner.push(I.get(ACC + c), I.get(Z), I.get(PW), I.vLoad(16 * c), I.vMul, I.vAdd, I.set(ACC + c));
  }
  inner.push(bump(P, I.i32(8)), bump(PM, I.i32(8)), bump(PW, I.i32(8 * kp)), bump(J, I.i32(1)));
  const row: Code[] = [];
  for (let c = 0; c < h; c++) row.push(I.f64Zero, I.splat, I.set(ACC + c));
  row.push([I.get(Y), I.set(P)], [I.get(MEANS), I.set(PM)], [I.get(W), I.set(PW)], [I.i32(0), I.set(J)]);
  row.push(I.whileNot([I.get(J), I.get(N), I.geU], inner));
  for (let c = 0; c < h; c++) row.push(I.get(PO), I.get(ACC + c), I.vStore(16 * c));
  row.push(bump(PO, I.i32(8 * kp)), bump(Y, I.get(SB)), bump(R, I.i32(1)));
  const body: Code = [
    [I.get(OUT), I.set(PO)],
    [I.i32(0), I.set(R)],
    I.whileNot([I.get(R), I.get(T), I.geU], row),
  ];
  return { name: `project${kp}`, params: 7, i32Locals: 6, v128Locals: h + 1, body };
}

/**
 * price{k}(x, t, a, ar, b, br, scale, np, fit, rn, tp): for rows r < t and maturity slots
 * n < np (np even), f = (A[n] + Σ_i B[i, n] x_ri) · scale[n], g likewise with the risk-neutral
 * A^RN, B^RN, and fit = f, rn = g, tp = f − g, each out row-major t × np. A, scale: np values;
 * B: k × np (row i = factor i); x: t × k. The sum starts from A[n] and adds factors i = 0..k−1
 * in order, as the JavaScript loop does; two maturities per instruction.
 */
function priceDef(k: number): FuncDef {
  const [X, T, A, AR, B, BR, SC, NP, FIT, RN, TP] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const [R, N, PX, ROW, OFF] = [11, 12, 13, 14, 15];
  const XS = 16; // k splats of the row's factors
  const [F, G] = [XS + k, XS + k + 1];
  const inner: Code[] = [[I.get(N), I.i32(8), I.mul, I.set(OFF)]];
  inner.push(I.get(A), I.get(OFF), I.add, I.vLoad(0), I.set(F));
  inner.push(I.get(AR), I.get(OFF), I.add, I.vLoad(0), I.set(G));
  for (let i = 0; i < k; i++) {
    inner.push(I.get(F), I.get(B), I.get(OFF), I.add, I.vLoad(0), I.get(XS + i), I.vMul, I.vAdd, I.set(F));
    inner.push(I.get(G), I.get(BR), I.get(OFF), I.add, I.vLoad(0), I.get(XS + i), I.vMul, I.vAdd, I.set(G));
    if (i + 1 < k) inner.push(bump(OFF, [I.get(NP), I.i32(8), I.mul]));
  }
  inner.push([I.get(N), I.i32(8), I.mul, I.set(OFF)]);
  inner.push(I.get(F), I.get(SC), I.get(OFF), I.add, I.vLoad(0), I.vMul, I.set(F));
  inner.push(I.get(G), I.get(SC), I.get(OFF), I.add, I.vLoad(0), I.vMul, I.set(G));
  inner.push([I.get(ROW), I.get(OFF), I.add, I.set(OFF)]);
  inner.push(I.get(FIT), I.get(OFF), I.add, I.get(F), I.vStore(0));
  inner.push(I.get(RN), I.get(OFF), I.add, I.get(G), I.vStore(0));
  inner.push(I.get(TP), I.get(OFF), I.add, I.get(F), I.get(G), I.vSub, I.vStore(0));
  inner.push(bump(N, I.i32(2)));
  const row: Code[] = [];
  for (let i = 0; i < k; i++) row.push(I.get(PX), I.f64Load(8 * i), I.splat, I.set(XS + i));
  row.push([I.i32(0), I.set(N)], I.whileNot([I.get(N), I.get(NP), I.geU], inner));
  row.push(bump(PX, I.i32(8 * k)), bump(ROW, [I.get(NP), I.i32(8), I.mul]), bump(R, I.i32(1)));
  const body: Code = [
    [I.get(X), I.set(PX)],
    [I.i32(0), I.set(ROW)],
    [I.i32(0), I.set(R)],
    I.whileNot([I.get(R), I.get(T), I.geU], row),
  ];
  return { name: `price${k}`, params: 11, i32Locals: 5, v128Locals: k + 2, body };
}

/**
 * affine{k}(x, t, a, e, b, np, out): out[r, n] = (a[n] + e[r, n]) + Σ_i B[i, n] x_ri for r < t,
 * n < np (np even): yields of a factor path plus per-row errors (the bootstrap's synthetic
 * panels). Terms are added in the order a + e, then factors i = 0..k−1, as in JavaScript.
 * e and out are row-major t × np, B is k × np, x is t × k.
 */
function affineDef(k: number): FuncDef {
  const [X, T, A, E, B, NP, OUT] = [0, 1, 2, 3, 4, 5, 6];
  const [R, N, PX, ROW, OFF] = [7, 8, 9, 10, 11];
  const XS = 12;
  const F = XS + k;
  const inner: Code[] = [[I.get(N), I.i32(8), I.mul, I.set(OFF)]];
  inner.push(I.get(A), I.get(OFF), I.add, I.vLoad(0));
  inner.push(I.get(E), I.get(ROW), I.add, I.get(OFF), I.add, I.vLoad(0), I.vAdd, I.set(F));
  for (let i = 0; i < k; i++) {
    inner.push(I.get(F), I.get(B), I.get(OFF), I.add, I.vLoad(0), I.get(XS + i), I.vMul, I.vAdd, I.set(F));
    if (i + 1 < k) inner.push(bump(OFF, [I.get(NP), I.i32(8), I.mul]));
  }
  inner.push(I.get(OUT), I.get(ROW), I.add, I.get(N), I.i32(8), I.mul, I.add, I.get(F), I.vStore(0));
  inner.push(bump(N, I.i32(2)));
  const row: Code[] = [];
  for (let i = 0; i < k; i++) row.push(I.get(PX), I.f64Load(8 * i), I.splat, I.set(XS + i));
  row.push([I.i32(0), I.set(N)], I.whileNot([I.get(N), I.get(NP), I.geU], inner));
  row.push(bump(PX, I.i32(8 * k)), bump(ROW, [I.get(NP), I.i32(8), I.mul]), bump(R, I.i32(1)));
  const body: Code = [
    [I.get(X), I.set(PX)],
    [I.i32(0), I.set(ROW)],
    [I.i32(0), I.set(R)],
    I.whileNot([I.get(R), I.get(T), I.geU], row),
  ];
  return { name: `affine${k}`, params: 7, i32Locals: 5, v128Locals: k + 1, body };
}

/** Largest K of the `project` and `price` kernels (ACM uses 5; more would be unusual). */
export const SIMD_MAX_FACTORS = 8;

function moduleBytes(defs: FuncDef[]): Uint8Array {
  const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];
  const name = (s: string) => [...leb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
  const types: number[] = [...leb(defs.length)];
  for (const d of defs) {
    types.push(
      0x60,
      ...leb(d.params),
      ...new Array(d.params).fill(0x7f),
      ...(d.returnsF64 ? [1, 0x7c] : [0]),
    );
  }
  const funcs: number[] = [...leb(defs.length)];
  defs.forEach((_, i) => {
    funcs.push(...leb(i));
  });
  const exports: number[] = [...leb(defs.length + 1)];
  defs.forEach((d, i) => {
    exports.push(...name(d.name), 0, ...leb(i));
  });
  exports.push(...name("mem"), 2, 0);
  const code: number[] = [...leb(defs.length)];
  for (const d of defs) {
    const groups = [...leb(d.i32Locals), 0x7f, ...leb(d.f64Locals ?? 0), 0x7c, ...leb(d.v128Locals), 0x7b];
    const fn = [3, ...groups, ...flat(d.body), 0x0b];
    code.push(...leb(fn.length), ...fn);
  }
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, types),
    ...section(3, funcs),
    ...section(5, [1, 0, 1]), // one memory, 1 page to start, growable
    ...section(7, exports),
    ...section(10, code),
  ]);
}

type Kernel = (...args: number[]) => void;

export interface SimdKernels {
  /** See the definitions above; all pointers are byte offsets into `memory`. */
  syrk: Kernel;
  centre: Kernel;
  symm: Kernel;
  qr: Kernel;
  /** Byte offset, number of pairs → Σ v·0 (0 when all finite). */
  finiteProbe: (x: number, pairs: number) => number;
  qty: Kernel;
  resid: Kernel;
  project: (kp: number) => Kernel;
  price: (k: number) => Kernel;
  affine: (k: number) => Kernel;
  /** Whether a heap of `bytes` may be requested (else the caller takes its JavaScript route). */
  fits(bytes: number): boolean;
  /** A Float64Array over the whole memory, at least `bytes` long (grows it when needed). */
  heap(bytes: number): Float64Array;
}

/** The slice of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/**
 * Largest wasm heap a caller may ask for (1 GiB): pointers are i32 byte offsets, and a panel
 * that would need more goes down the JavaScript route instead (`fits`).
 */
export const SIMD_MAX_HEAP_BYTES = 2 ** 30;

let cached: SimdKernels | null | undefined;

/** The kernels, compiled once per thread; null where WebAssembly SIMD is unavailable. */
export function simdKernels(): SimdKernels | null {
  if (cached !== undefined) return cached;
  cached = null;
  try {
    const defs = [syrkDef(), centreDef(), symmDef(), qrDef(), qtyDef(), residDef(), finiteProbeDef()];
    for (let kp = 2; kp <= SIMD_MAX_FACTORS; kp += 2) defs.push(projectDef(kp));
    for (let k = 1; k <= SIMD_MAX_FACTORS; k++) defs.push(priceDef(k), affineDef(k));
    const bytes = moduleBytes(defs);
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (wasm === undefined || !wasm.validate(bytes)) return cached;
    const ex = new wasm.Instance(new wasm.Module(bytes), {}).exports;
    const memory = ex.mem as WasmMemory;
    const fn = (n: string) => ex[n] as Kernel;
    cached = {
      syrk: fn("syrk"),
      centre: fn("centre"),
      symm: fn("symm"),
      qr: fn("qr"),
      finiteProbe: ex.finiteProbe as (x: number, pairs: number) => number,
      qty: fn("qty"),
      resid: fn("resid"),
      project: (kp) => fn(`project${kp}`),
      price: (k) => fn(`price${k}`),
      affine: (k) => fn(`affine${k}`),
      fits: (bytes) => bytes <= SIMD_MAX_HEAP_BYTES,
      heap(bytes: number): Float64Array {
        const have = memory.buffer.byteLength;
        if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
        return new Float64Array(memory.buffer);
      },
    };
  } catch {
    cached = null;
  }
  return cached;
}

/** Tests: run the JavaScript fallbacks even where SIMD works (`null` restores the default). */
export function setSimdDisabledForTests(disabled: boolean | null): void {
  cached = disabled ? null : undefined;
}
