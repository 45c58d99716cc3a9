import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/core/errors.ts";
import { parseAcmCsv, readAcmFile } from "../../src/sources/acm-file.ts";
import { sharedPath, sharedSkip } from "../helpers.ts";

const MONTHLY = "data/acm/ACMTermPremium_monthly.csv";
const DAILY = "data/acm/ACMTP10_daily.csv";

/** A small official-layout export (NY Fed "30-Jun-1961" dates), 2 maturities; y = rny + tp. */
function inlineAcm(rows: [string, number, number][]): string {
  const header = "DATE,ACMY01,ACMY10,ACMTP01,ACMTP10,ACMRNY01,ACMRNY10";
  const lines = rows.map(([d, rny, tp]) => {
    const y1 = rny + tp;
    const y10 = rny + 1 + (tp + 0.5);
    return [d, y1, y10, tp, tp + 0.5, rny, rny + 1].join(",");
  });
  return `${[header, ...lines].join("\n")}\n`;
}

const ROWS: [string, number, number][] = [
  ["30-Jun-1961", 2.8, 0.1],
  ["31-Jul-1961", 2.9, 0.125],
  ["31-Aug-1961", 3.0, -0.25],
  ["29-Sep-1961", 2.95, 0.0625],
];

test("inline official layout with DD-Mon-YYYY dates: ids, ISO dates, monthly, no warnings", () => {
  const imp = parseAcmCsv(inlineAcm(ROWS), { file: "ACMTermPremium.csv" });
  assert.equal(imp.frequency, "m");
  assert.deepEqual(imp.warnings, []);
  assert.deepEqual(
    imp.series.map((s) => s.meta.id),
    ["acm.ACMY01", "acm.ACMY10", "acm.ACMTP01", "acm.ACMTP10", "acm.ACMRNY01", "acm.ACMRNY10"],
  );
  const tp10 = imp.series[3];
  assert.deepEqual(tp10.dates, ["1961-06-30", "1961-07-31", "1961-08-31", "1961-09-29"]);
  assert.deepEqual([...tp10.values], [0.6, 0.625, 0.25, 0.5625]);
  assert.equal(tp10.meta.units, "percent");
  assert.equal(tp10.meta.title, "ACM Treasury term premium, 10-year");
  assert.equal(
    tp10.meta.source,
    "Federal Reserve Bank of New York, Adrian-Crump-Moench term structure model",
  );
  assert.match(tp10.meta.licence, /cite Adrian, Crump & Moench \(2013, JFE\)/);
});

test("identity ACMY = ACMRNY + ACMTP: one Warning per violation > 1e-6, naming date, series, line", () => {
  const text = inlineAcm(ROWS)
    .split("\n")
    .map((line, i) => {
      if (i !== 3) return line;
      const f = line.split(",");
      f[2] = String(Number(f[2]) + 2e-6); // ACMY10 on 31-Aug-1961, line 4: beyond the tolerance
      f[1] = String(Number(f[1]) + 5e-7); // ACMY01 same row: within it, no warning
      return f.join(",");
    })
    .join("\n");
  const imp = parseAcmCsv(text, { file: "a.csv" });
  assert.equal(imp.warnings.length, 1);
  const w = imp.warnings[0];
  assert.equal(w.code, "acm-identity");
  assert.equal(w.series, "acm.ACMY10");
  assert.equal(w.date, "1961-08-31");
  assert.match(w.message, /line 4 of a\.csv/);
  // the data are returned as published, not "corrected"
  assert.equal(imp.series.length, 6);
});

test("identity warnings are listed up to 100, then summarised", () => {
  const rows: [string, number, number][] = [];
  for (let m = 0; m < 120; m++) {
    const y = 1970 + Math.floor(m / 12);
    rows.push([`${y}-${String((m % 12) + 1).padStart(2, "0")}`, 3, 0.5]);
  }
  const broken = inlineAcm(rows)
    .split("\n")
    .map((l, i) =>
      i === 0 || l === "" ? l : l.replace(/^([^,]+),([^,]+)/, (_, d, y) => `${d},${Number(y) + 0.01}`),
    )
    .join("\n");
  const imp = parseAcmCsv(broken, { file: "b.csv" });
  assert.equal(imp.warnings.length, 101);
  assert.match(imp.warnings[100].message, /^20 more ACMY ≠ ACMRNY \+ ACMTP violations/);
});

test("replicated layout (month columns) and a daily single-column file", () => {
  const rep = parseAcmCsv(
    "DATE,ACMTP003M,ACMY003M,ACMRNY003M\n2020-01-31,0.1,1.6,1.5\n2020-02-28,0.2,1.4,1.2\n",
    {
      file: "r.csv",
    },
  );
  assert.deepEqual(
    rep.series.map((s) => [s.meta.id, s.meta.title]),
    [
      ["acm.ACMTP003M", "ACM Treasury term premium, 3-month"],
      ["acm.ACMY003M", "ACM model-fitted zero-coupon Treasury yield, 3-month"],
      ["acm.ACMRNY003M", "ACM risk-neutral zero-coupon Treasury yield, 3-month"],
    ],
  );
  assert.deepEqual(rep.warnings, []);
  const daily = parseAcmCsv("date,ACMTP10\n2020-01-02,0.1\n2020-01-03,0.2\n2020-01-06,0.15\n", {
    file: "d.csv",
  });
  assert.equal(daily.frequency, "d");
  assert.equal(daily.series[0].meta.id, "acm.ACMTP10.daily");
});

test("a column that is not an ACM series, or a wrong date column, is refused", () => {
  assert.throws(
    () => parseAcmCsv("DATE,ACMTP10,DGS10\n2020-01-31,0.1,1.5\n", { file: "x.csv" }),
    (e: unknown) =>
      e instanceof InputError && e.location.column === "DGS10" && /not an ACM series/.test(e.message),
  );
  assert.throws(
    () => parseAcmCsv("month,ACMTP10\n2020-01-31,0.1\n", { file: "x.csv" }),
    (e: unknown) => e instanceof InputError && /expected DATE/.test(e.message),
  );
});

test("NY Fed monthly file: 30 series, month-ends 1961-06..2025-06, identity holds", {
  skip: sharedSkip(MONTHLY),
}, async () => {
  const imp = await readAcmFile(sharedPath(MONTHLY));
  assert.equal(imp.frequency, "m");
  assert.equal(imp.series.length, 30);
  // ../shared/data/PROVENANCE.md: "ACMY10 = ACMRNY10 + ACMTP10 (1e-13)" for every maturity
  assert.deepEqual(imp.warnings, []);
  const tp10 = imp.series.find((s) => s.meta.id === "acm.ACMTP10")!;
  assert.equal(tp10.dates.length, 769);
  assert.equal(tp10.dates[0], "1961-06-30");
  assert.equal(tp10.dates.at(-1), "2025-06-30");
  // PROVENANCE spot check "ACMTP10 2020-08-31 = -1.06%", quoted to 2 decimals: ±0.005
  const v = tp10.values[tp10.dates.indexOf("2020-08-31")];
  assert.ok(Math.abs(v - -1.06) <= 0.005, String(v));
});

test("NY Fed daily ACMTP10 export", { skip: sharedSkip(DAILY) }, async () => {
  const imp = await readAcmFile(sharedPath(DAILY));
  assert.equal(imp.frequency, "d");
  assert.deepEqual(
    imp.series.map((s) => s.meta.id),
    ["acm.ACMTP10.daily"],
  );
  assert.equal(imp.series[0].dates[0], "1961-06-14");
  assert.ok(imp.series[0].dates.length > 16000);
});
