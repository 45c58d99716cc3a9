/**
 * Dense real matrices as plain data: `rows`, `cols` and a row-major Float64Array. The statistics
 * modules (OLS, VAR, PCA) and the term-structure models pass these across module boundaries
 * instead of ml-matrix objects, so results stay serialisable and hot loops index typed arrays
 * directly; ml-matrix is used inside for decompositions (QR, EVD, LU).
 */
import { LuDecomposition, Matrix, SingularValueDecomposition } from "ml-matrix";
import { ModelError } from "../core/errors.ts";

export interface Dense {
  readonly rows: number;
  readonly cols: number;
  /** Row-major: element (i, j) is `data[i * cols + j]`. */
  readonly data: Float64Array;
}

/** A rows × cols matrix over `data` (zero-filled when omitted). `data` is used, not copied. */
export function dense(rows: number, cols: number, data?: Float64Array): Dense {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new ModelError(`matrix shape must be non-negative integers, got ${rows} x ${cols}`);
  }
  const d = data ?? new Float64Array(rows * cols);
  if (d.length !== rows * cols) {
    throw new ModelError(`matrix ${rows} x ${cols} needs ${rows * cols} values, got ${d.length}`);
  }
  return { rows, cols, data: d };
}

/** Matrix from an array of equal-length rows. */
export function fromRows(rows: readonly (readonly number[])[] | readonly ArrayLike<number>[]): Dense {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0].length;
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    if (rows[i].length !== c) throw new ModelError(`row ${i} has ${rows[i].length} values, expected ${c}`);
    for (let j = 0; j < c; j++) out[i * c + j] = rows[i][j];
  }
  return { rows: r, cols: c, data: out };
}

/** Matrix with the given columns (each of the same length). */
export function fromColumns(columns: readonly ArrayLike<number>[]): Dense {
  const c = columns.length;
  const r = c === 0 ? 0 : columns[0].length;
  const out = new Float64Array(r * c);
  for (let j = 0; j < c; j++) {
    if (columns[j].length !== r)
      throw new ModelError(`column ${j} has ${columns[j].length} values, expected ${r}`);
    for (let i = 0; i < r; i++) out[i * c + j] = columns[j][i];
  }
  return { rows: r, cols: c, data: out };
}

export function identity(n: number): Dense {
  const m = dense(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

export function at(m: Dense, i: number, j: number): number {
  return m.data[i * m.cols + j];
}

/** Copy of row i. */
export function row(m: Dense, i: number): Float64Array {
  return m.data.slice(i * m.cols, (i + 1) * m.cols);
}

/** Copy of column j. */
export function column(m: Dense, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j];
  return out;
}

/** Plain nested arrays (for JSON and printing). */
export function toRows(m: Dense): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

export function transpose(m: Dense): Dense {
  const out = new Float64Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.cols; j++) out[j * m.rows + i] = m.data[i * m.cols + j];
  return { rows: m.cols, cols: m.rows, data: out };
}

/** a · b. */
export function matMul(a: Dense, b: Dense): Dense {
  if (a.cols !== b.rows) throw new ModelError(`cannot multiply ${a.rows}x${a.cols} by ${b.rows}x${b.cols}`);
  const n = a.rows;
  const m = b.cols;
  const p = a.cols;
  const out = new Float64Array(n * m);
  const ad = a.data;
  const bd = b.data;
  for (let i = 0; i < n; i++) {
    const oi = i * m;
    for (let k = 0; k < p; k++) {
      const aik = ad[i * p + k];
      if (aik === 0) continue;
      const ok = k * m;
      for (let j = 0; j < m; j++) out[oi + j] += aik * bd[ok + j];
    }
  }
  return { rows: n, cols: m, data: out };
}

/** aᵀ · b without forming aᵀ. */
export function crossProduct(a: Dense, b: Dense): Dense {
  if (a.rows !== b.rows) throw new ModelError(`cannot form A'B with ${a.rows} and ${b.rows} rows`);
  const p = a.cols;
  const m = b.cols;
  const out = new Float64Array(p * m);
  for (let t = 0; t < a.rows; t++) {
    const oa = t * p;
    const ob = t * m;
    for (let i = 0; i < p; i++) {
      const ai = a.data[oa + i];
      if (ai === 0) continue;
      const oi = i * m;
      for (let j = 0; j < m; j++) out[oi + j] += ai * b.data[ob + j];
    }
  }
  return { rows: p, cols: m, data: out };
}

/** m · v. */
export function matVec(m: Dense, v: ArrayLike<number>): Float64Array {
  if (m.cols !== v.length)
    throw new ModelError(`cannot multiply ${m.rows}x${m.cols} by a vector of ${v.length}`);
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    const o = i * m.cols;
    for (let j = 0; j < m.cols; j++) s += m.data[o + j] * v[j];
    out[i] = s;
  }
  return out;
}

export function toMlMatrix(m: Dense): Matrix {
  const out = new Matrix(m.rows, m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out.set(i, j, m.data[i * m.cols + j]);
  return out;
}

export function fromMlMatrix(m: Matrix): Dense {
  const out = new Float64Array(m.rows * m.columns);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.columns; j++) out[i * m.columns + j] = m.get(i, j);
  return { rows: m.rows, cols: m.columns, data: out };
}

/** Names used in error messages: the caller's labels when given, else "row 3" / "column 2". */
export interface AxisNames {
  rowNames?: readonly string[];
  colNames?: readonly string[];
}

export function rowLabel(i: number, names?: AxisNames): string {
  const n = names?.rowNames?.[i];
  return n === undefined ? `row ${i}` : `row ${i} (${n})`;
}

export function colLabel(j: number, names?: AxisNames): string {
  const n = names?.colNames?.[j];
  return n === undefined ? `column ${j}` : `column ${j} (${n})`;
}

/** Throws a ModelError naming the first non-finite element (NaN means missing, ±Inf is garbage). */
export function assertFinite(m: Dense, what: string, names?: AxisNames): void {
  const d = m.data;
  // fast path: NaN and ±Inf propagate through a sum (a finite sum proves all are finite)
  let sum = 0;
  for (let k = 0; k < d.length; k++) sum += d[k] * 0;
  if (sum === 0) return;
  for (let k = 0; k < d.length; k++) {
    const v = d[k];
    if (!Number.isFinite(v)) {
      const i = Math.floor(k / m.cols);
      const j = k - i * m.cols;
      throw new ModelError(
        `${what}: ${Number.isNaN(v) ? "NaN (missing value)" : String(v)} at ${rowLabel(i, names)}, ${colLabel(j, names)}`,
      );
    }
  }
}

/** Same check for a vector. */
export function assertFiniteVector(v: ArrayLike<number>, what: string, rowNames?: readonly string[]): void {
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) {
      throw new ModelError(
        `${what}: ${Number.isNaN(v[i]) ? "NaN (missing value)" : String(v[i])} at ${rowLabel(i, { rowNames })}`,
      );
    }
  }
}

/**
 * Solve A X = B for square A by LU with partial pivoting (ml-matrix). Throws a ModelError naming
 * `what` when A is singular or so ill-conditioned (2-norm condition number above `maxCondition`)
 * that the solution would be noise.
 */
export function solveSquare(a: Dense, b: Dense, what: string, maxCondition = 1e14): Dense {
  if (a.rows !== a.cols) throw new ModelError(`${what}: matrix is ${a.rows}x${a.cols}, not square`);
  if (b.rows !== a.rows)
    throw new ModelError(`${what}: right-hand side has ${b.rows} rows, expected ${a.rows}`);
  const cond = conditionNumber(a);
  if (!(cond <= maxCondition)) {
    throw new ModelError(
      `${what}: matrix is singular or numerically singular (condition number ${cond.toExponential(2)})`,
    );
  }
  return fromMlMatrix(new LuDecomposition(toMlMatrix(a)).solve(toMlMatrix(b)));
}

/** 2-norm condition number σmax / σmin (SVD; meant for the small matrices the models invert). */
export function conditionNumber(a: Dense): number {
  const svd = new SingularValueDecomposition(toMlMatrix(a), {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
  });
  const s = svd.diagonal;
  let max = 0;
  let min = Number.POSITIVE_INFINITY;
  for (const v of s) {
    if (!(v <= max)) max = v;
    if (!(v >= min)) min = v;
  }
  if (Number.isNaN(max) || Number.isNaN(min)) return Number.NaN;
  return min === 0 ? Number.POSITIVE_INFINITY : max / min;
}
