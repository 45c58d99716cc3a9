/**
 * Reading the breakeven decomposition's inputs from the store: the FRED constant-maturity trio
 * for 5y and 10y (required) and the GSW zero-coupon trio (optional: the bundled TIPS curve covers
 * 2022-10..2025-10 and a user store may not hold it at all).
 */
import { NotFoundError } from "../core/errors.ts";
import type { Series } from "../core/series.ts";
import type { Store } from "../store/store.ts";
import type { CurveKind, TenorInputs } from "./breakeven.ts";

interface TrioIds {
  tenorYears: number;
  kind: CurveKind;
  nominal: string;
  real: string;
  breakeven: string;
  optional: boolean;
}

export const BREAKEVEN_TRIOS: readonly TrioIds[] = [
  {
    tenorYears: 5,
    kind: "constant-maturity",
    nominal: "DGS5",
    real: "DFII5",
    breakeven: "T5YIE",
    optional: false,
  },
  {
    tenorYears: 10,
    kind: "constant-maturity",
    nominal: "DGS10",
    real: "DFII10",
    breakeven: "T10YIE",
    optional: false,
  },
  {
    tenorYears: 5,
    kind: "gsw-zero-coupon",
    nominal: "gsw.SVENY05",
    real: "gswtips.TIPSY05",
    breakeven: "gswtips.BKEVEN05",
    optional: true,
  },
  {
    tenorYears: 10,
    kind: "gsw-zero-coupon",
    nominal: "gsw.SVENY10",
    real: "gswtips.TIPSY10",
    breakeven: "gswtips.BKEVEN10",
    optional: true,
  },
];

async function get(store: Store, id: string, optional: boolean): Promise<Series | null> {
  try {
    return (await store.getSeries(id)).series;
  } catch (err) {
    if (optional && err instanceof NotFoundError) return null;
    throw err;
  }
}

/** The tenors present in the store (missing optional GSW series are skipped, listed in `skipped`). */
export async function loadBreakevenInputs(
  store: Store,
): Promise<{ inputs: TenorInputs[]; skipped: string[] }> {
  const inputs: TenorInputs[] = [];
  const skipped: string[] = [];
  for (const t of BREAKEVEN_TRIOS) {
    // one connection: queries in sequence, not concurrently
    const nominal = await get(store, t.nominal, t.optional);
    const real = await get(store, t.real, t.optional);
    const breakeven = await get(store, t.breakeven, t.optional);
    if (!nominal || !real || !breakeven) {
      skipped.push(`${t.tenorYears}y ${t.kind}`);
      continue;
    }
    inputs.push({ tenorYears: t.tenorYears, kind: t.kind, nominal, real, breakeven });
  }
  return { inputs, skipped };
}
