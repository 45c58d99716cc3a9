import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { InputError, NotFoundError } from "../../src/core/errors.ts";
import type { SeriesMeta } from "../../src/core/series.ts";
import { parseFredCsv, parseWideCsv, readCsvFile, wideTableToSeries } from "../../src/sources/csv.ts";
import { inferFrequency } from "../../src/sources/infer-frequency.ts";
import { REPO_ROOT, sharedPath, sharedSkip } from "../helpers.ts";

const FIXTURES = join(REPO_ROOT, "test", "fixtures", "csv");

/** Asserts an InputError whose message names the file, and the expected line/column/text. */
function expectInputError(
  fn: () => unknown,
  want: { file?: string; line?: number; column?: string; includes: string[] },
): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
    const file = want.file ?? "t.csv";
    assert.ok(e.message.startsWith(`${file}`), `message does not name the file: ${e.message}`);
    assert.equal(e.location.file, file);
    if (want.line !== undefined) {
      assert.equal(e.location.line, want.line, e.message);
      assert.ok(e.message.includes(`line ${want.line}`), e.message);
    }
    if (want.column !== undefined) {
      assert.equal(e.location.column, want.column, e.message);
      assert.ok(e.message.includes(`column "${want.column}"`), e.message);
    }
    for (const s of want.includes) assert.ok(e.message.includes(s), `"${s}" not in: ${e.message}`);
    return true;
  });
}

const f = { file: "t.csv" };

function lines(...rows: string[]): string {
  return `${rows.join("\n")}\n`;
}

// --- happy paths ---------------------------------------------------------------------------

test("FRED-style file: '.' is missing, values exact, dates kept", () => {
  const t = parseWideCsv(
    lines("DATE,DGS10,DGS2", "2020-01-01,.,.", "2020-01-02,1.88,1.58", "2020-01-03,1.80,"),
    f,
  );
  assert.equal(t.dateColumn, "DATE");
  assert.deepEqual(t.columns, ["DGS10", "DGS2"]);
  assert.deepEqual(t.dates, ["2020-01-01", "2020-01-02", "2020-01-03"]);
  // Exact: parsing a decimal literal must give the same double as the JS literal.
  assert.deepEqual([...t.values[0]], [Number.NaN, 1.88, 1.8]);
  assert.deepEqual([...t.values[1]], [Number.NaN, 1.58, Number.NaN]);
});

test("UTF-8 BOM is stripped, CRLF accepted, exponents and signs parsed", () => {
  const t = parseWideCsv(
    "\ufeffdate,x\r\n2020-01-01,6.995e-05\r\n2020-01-02,-1E+2\r\n2020-01-03, .5 \r\n",
    f,
  );
  assert.equal(t.dateColumn, "date");
  assert.deepEqual([...t.values[0]], [6.995e-5, -100, 0.5]);
});

test("missing markers: defaults and a custom list", () => {
  const t = parseWideCsv(
    lines("date,x", "2020-01-01,NA", "2020-01-02,NaN", "2020-01-03,#N/A", "2020-01-04,null"),
    f,
  );
  assert.ok([...t.values[0]].every(Number.isNaN));
  const u = parseWideCsv(lines("date,x", "2020-01-01,-999", "2020-01-02,1"), { ...f, missing: ["-999"] });
  assert.deepEqual([...u.values[0]], [Number.NaN, 1]);
  // "." is no longer missing once the caller replaces the list
  expectInputError(() => parseWideCsv(lines("date,x", "2020-01-01,."), { ...f, missing: ["-999"] }), {
    line: 2,
    column: "x",
    includes: ['"." is not a number'],
  });
});

test("accepted date forms map to ISO; YYYY-MM is the first of the month", () => {
  const cases: [string[], string[]][] = [
    [
      ["2020-01-02 00:00:00", "2020-01-03 00:00:00"],
      ["2020-01-02", "2020-01-03"],
    ],
    [
      ["2020-01-02T00:00:00Z", "2020-01-03T00:00:00Z"],
      ["2020-01-02", "2020-01-03"],
    ],
    [
      ["2020/1/2", "2020/01/31"],
      ["2020-01-02", "2020-01-31"],
    ],
    [
      ["2020-01", "2020-02"],
      ["2020-01-01", "2020-02-01"],
    ],
    [
      ["30-Jun-1961", "31-JUL-1961"],
      ["1961-06-30", "1961-07-31"],
    ],
  ];
  for (const [raw, iso] of cases) {
    const t = parseWideCsv(lines("date,x", ...raw.map((d) => `${d},1`)), f);
    assert.deepEqual(t.dates, iso, raw.join(" "));
  }
});

test("a named date column elsewhere than first; an unnamed first column is the date (pandas)", () => {
  const t = parseWideCsv(lines("x,when,y", "1,2020-01-01,2"), { ...f, dateColumn: "when" });
  assert.deepEqual(t.columns, ["x", "y"]);
  assert.deepEqual([...t.values[1]], [2]);
  const p = parseWideCsv(lines(",x", "2020-01-01,3"), f);
  assert.equal(p.dateColumn, "date");
  expectInputError(() => parseWideCsv(lines("x,y", "1,2"), { ...f, dateColumn: "when" }), {
    line: 1,
    includes: ['no date column "when"', "x, y"],
  });
});

test("skipLines: preamble skipped, line numbers still count it", () => {
  const text = lines('"Note, with a comma"', "second note", "date,x", "2020-01-01,1", "2020-01-02,oops");
  expectInputError(() => parseWideCsv(text, { ...f, skipLines: 2 }), {
    line: 5,
    column: "x",
    includes: ['"oops" is not a number'],
  });
  const t = parseWideCsv(text.replace("oops", "2"), { ...f, skipLines: 2 });
  assert.deepEqual([...t.values[0]], [1, 2]);
});

test("quoted fields and a blank line in the middle are accepted; line numbers still physical", () => {
  const t = parseWideCsv(lines('"date","x"', '"2020-01-01","1.5"', "", "2020-01-02,2"), f);
  assert.deepEqual([...t.values[0]], [1.5, 2]);
  assert.deepEqual(t.lines, [2, 4]);
  // a quoted header field spanning two lines: the bad value sits on physical line 5
  expectInputError(() => parseWideCsv(lines('date,"x', 'y"', "2020-01-01,1", "", '2020-01-02,"bad"'), f), {
    line: 5,
    column: "x\ny",
    includes: ['"bad" is not a number'],
  });
});

// --- bad input: one test per case --------------------------------------------------------------

test("empty file", () => {
  expectInputError(() => parseWideCsv("", f), { includes: ["empty"] });
  expectInputError(() => parseWideCsv(" \n\n", f), { includes: ["empty"] });
  expectInputError(() => parseWideCsv("\ufeff", f), { includes: ["empty"] });
});

test("header only: an error, not an empty table", () => {
  expectInputError(() => parseWideCsv("date,DGS10\n", f), { line: 1, includes: ["no data rows"] });
});

test("not CSV: binary bytes", () => {
  expectInputError(() => parseWideCsv("date,x\n\u0000\u0001\u0002", f), {
    line: 1,
    includes: ["does not look like CSV", "binary"],
  });
});

test("not CSV: zip / xlsx", () => {
  expectInputError(() => parseWideCsv("PK\u0003\u0004\u0014\u0000", f), {
    includes: ["does not look like CSV", "xlsx"],
  });
});

test("not CSV: HTML page", () => {
  expectInputError(() => parseWideCsv("<!DOCTYPE html>\n<html><body>Error</body></html>\n", f), {
    line: 1,
    includes: ["does not look like CSV", "<!DOCTYPE html>", "HTML"],
  });
});

test("not CSV: JSON", () => {
  const json = '{"error_code":400,"error_message":"Bad Request."}';
  expectInputError(() => parseWideCsv(json, f), { line: 1, includes: ["does not look like CSV", "JSON"] });
});

test("not CSV: a single column without a delimiter", () => {
  expectInputError(() => parseWideCsv("hello world\nsecond line\n", f), {
    line: 1,
    includes: ["does not look like CSV", "single column"],
  });
  expectInputError(() => parseWideCsv("date;x\n2020-01-01;1\n", f), {
    line: 1,
    includes: ["does not look like CSV", '";"'],
  });
});

test("ragged row: wrong number of fields names the line", () => {
  expectInputError(
    () => parseWideCsv(lines("date,a,b", "2020-01-01,1,2", "2020-01-02,1", "2020-01-03,1,2"), f),
    {
      line: 3,
      includes: ["2 fields where the header has 3"],
    },
  );
  // an unquoted thousands separator turns into an extra field
  expectInputError(() => parseWideCsv(lines("date,a", "2020-01-01,1,234"), f), {
    line: 2,
    includes: ["3 fields where the header has 2"],
  });
});

test("malformed CSV quoting names the line", () => {
  expectInputError(() => parseWideCsv(lines("date,a", "2020-01-01,1", '2020-01-02,"2'), f), {
    line: 3,
    includes: ["malformed CSV"],
  });
});

test("malformed date: exact message form", () => {
  const text = lines(
    "date,x",
    ...["01", "02", "03", "04", "05"].map((d) => `2020-01-${d},1`),
    "2020-13-01,1",
  );
  expectInputError(() => parseWideCsv(text, f), {
    line: 7,
    column: "date",
    includes: ['t.csv, line 7, column "date": "2020-13-01" is not a valid date'],
  });
  expectInputError(() => parseWideCsv(lines("date,x", "2023-02-29,1"), f), {
    line: 2,
    column: "date",
    includes: ['"2023-02-29" is not a valid date'],
  });
  expectInputError(() => parseWideCsv(lines("date,x", "01/02/2020,1"), f), {
    line: 2,
    column: "date",
    includes: ["ambiguous"],
  });
  expectInputError(() => parseWideCsv(lines("date,x", "2020-01-02 13:45:00,1"), f), {
    line: 2,
    column: "date",
    includes: ["time of day"],
  });
  expectInputError(() => parseWideCsv(lines("date,x", ",1"), f), {
    line: 2,
    column: "date",
    includes: ["empty"],
  });
});

test("mixed date formats in one file are refused", () => {
  expectInputError(() => parseWideCsv(lines("date,x", "2020-01-01,1", "2020-02,1"), f), {
    line: 3,
    column: "date",
    includes: ["YYYY-MM", "line 2 uses YYYY-MM-DD"],
  });
});

test("text in a numeric column: exact message form", () => {
  const rows = Array.from({ length: 10 }, (_, i) => `2020-01-${String(i + 1).padStart(2, "0")},1.5`);
  const text = lines("date,DGS10", ...rows, "2020-01-11,n/a?");
  expectInputError(() => parseWideCsv(text, f), {
    line: 12,
    column: "DGS10",
    includes: ['t.csv, line 12, column "DGS10": "n/a?" is not a number'],
  });
  for (const bad of ["4.5%", "$3", "Infinity", "0x10", "1e999", "--1"]) {
    expectInputError(() => parseWideCsv(lines("date,DGS10", `2020-01-01,${bad}`), f), {
      line: 2,
      column: "DGS10",
      includes: [`"${bad}"`],
    });
  }
});

test("quoted thousands separator is refused with a specific message", () => {
  expectInputError(() => parseWideCsv(lines("date,GDP", '2020-01-01,"21,481.4"'), f), {
    line: 2,
    column: "GDP",
    includes: ["thousands separators", "21481.4"],
  });
});

test("duplicated date names both lines", () => {
  expectInputError(() => parseWideCsv(lines("date,x", "2020-01-01,1", "2020-01-02,1", "2020-01-02,2"), f), {
    line: 4,
    column: "date",
    includes: ["duplicate date 2020-01-02", "line 3"],
  });
});

test("unsorted dates name the line where order breaks; nothing is sorted silently", () => {
  expectInputError(() => parseWideCsv(lines("date,x", "2020-01-01,1", "2020-01-03,1", "2020-01-02,2"), f), {
    line: 4,
    column: "date",
    includes: ["not in increasing order", "2020-01-02 comes after 2020-01-03 (line 3)"],
  });
});

test("duplicate column names", () => {
  expectInputError(() => parseWideCsv(lines("date,DGS10,DGS2,DGS10", "2020-01-01,1,2,3"), f), {
    line: 1,
    column: "DGS10",
    includes: ["twice", "fields 2 and 4"],
  });
  expectInputError(() => parseWideCsv(lines("date,x,", "2020-01-01,1,2"), f), {
    line: 1,
    includes: ["header field 3 is empty"],
  });
});

// --- files ---------------------------------------------------------------------------------

test("readCsvFile: plain and .gz give the same table", async () => {
  const plain = await readCsvFile(join(FIXTURES, "fred_DGS10_2020-01.csv"));
  const gz = await readCsvFile(join(FIXTURES, "fred_DGS10_2020-01.csv.gz"));
  assert.deepEqual(gz.dates, plain.dates);
  assert.deepEqual([...gz.values[0]], [...plain.values[0]]);
  assert.equal(plain.dates.length, 13);
  assert.ok(Number.isNaN(plain.values[0][0]));
  assert.equal(plain.values[0][1], 1.88);
  assert.ok(gz.file.endsWith(".csv.gz"));
});

test("readCsvFile: missing file, directory, non-gzip .gz, UTF-16, bad UTF-8", async () => {
  await assert.rejects(readCsvFile(join(FIXTURES, "nope.csv")), (e: unknown) => {
    assert.ok(e instanceof NotFoundError);
    assert.match(e.message, /nope\.csv: no such file/);
    return true;
  });
  await assert.rejects(
    readCsvFile(FIXTURES),
    (e: unknown) => e instanceof InputError && /directory/.test(e.message),
  );
  const dir = mkdtempSync(join(tmpdir(), "ys-csv-"));
  try {
    const { writeFileSync } = await import("node:fs");
    const notGz = join(dir, "x.csv.gz");
    writeFileSync(notGz, "date,x\n2020-01-01,1\n");
    await assert.rejects(
      readCsvFile(notGz),
      (e: unknown) => e instanceof InputError && /not gzip/.test(e.message),
    );
    const utf16 = join(dir, "u16.csv");
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("date,x\n", "utf16le")]));
    await assert.rejects(
      readCsvFile(utf16),
      (e: unknown) => e instanceof InputError && /UTF-16/.test(e.message),
    );
    const latin1 = join(dir, "l1.csv");
    writeFileSync(latin1, Buffer.from("date,caf\u00e9\n2020-01-01,1\n", "latin1"));
    await assert.rejects(
      readCsvFile(latin1),
      (e: unknown) => e instanceof InputError && /UTF-8/.test(e.message),
    );
    const bin = join(dir, "b.csv");
    writeFileSync(bin, Buffer.from([0x64, 0x00, 0xff, 0x00, 0x13]));
    await assert.rejects(
      readCsvFile(bin),
      (e: unknown) => e instanceof InputError && /binary/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// --- to series -------------------------------------------------------------------------------

const meta = (id: string): SeriesMeta => ({
  id,
  title: id,
  units: "percent",
  frequency: "d",
  source: "test",
  licence: "test",
});

test("wideTableToSeries trims leading/trailing missing per column, keeps gaps, skips empty columns", () => {
  const t = parseWideCsv(
    lines(
      "date,a,b,c",
      "2020-01-01,,1,",
      "2020-01-02,2,,",
      "2020-01-03,.,3,",
      "2020-01-06,4,,",
      "2020-01-07,,,",
    ),
    f,
  );
  const s = wideTableToSeries(t, meta);
  assert.deepEqual(
    s.map((x) => x.meta.id),
    ["a", "b"],
  );
  assert.deepEqual(s[0].dates, ["2020-01-02", "2020-01-03", "2020-01-06"]);
  assert.deepEqual([...s[0].values], [2, Number.NaN, 4]);
  assert.deepEqual(s[1].dates, ["2020-01-01", "2020-01-02", "2020-01-03"]);
  assert.deepEqual([...s[1].values], [1, Number.NaN, 3]);
});

test("parseFredCsv: id from the header or overridden, frequency inferred, two columns only", () => {
  const s = parseFredCsv(lines("observation_date,GDP", "2020-01-01,21481.4", "2020-04-01,19477.4"), f);
  assert.equal(s.meta.id, "GDP");
  assert.equal(s.meta.frequency, "q");
  assert.match(s.meta.source, /FRED/);
  const r = parseFredCsv(lines("date,DGS10", "2020-01-02,1.88", "2020-01-03,1.8"), { ...f, id: "ust10" });
  assert.equal(r.meta.id, "ust10");
  assert.equal(r.meta.frequency, "d");
  expectInputError(() => parseFredCsv(lines("date,a,b", "2020-01-01,1,2"), f), { includes: ["two columns"] });
  expectInputError(() => parseFredCsv(lines("date,a", "2020-01-01,.", "2020-01-02,."), f), {
    column: "a",
    includes: ["no observations"],
  });
});

test("inferFrequency from spacing", () => {
  assert.equal(inferFrequency(["2020-01-03", "2020-01-06", "2020-01-07", "2020-01-08"]), "d");
  assert.equal(inferFrequency(["2020-01-03", "2020-01-10", "2020-01-17"]), "w");
  assert.equal(inferFrequency(["2020-01-31", "2020-02-28", "2020-03-31", "2020-04-30"]), "m");
  assert.equal(inferFrequency(["2020-01-01", "2020-04-01", "2020-07-01"]), "q");
  assert.equal(inferFrequency(["2019-01-01", "2020-01-01", "2021-01-01"]), "a");
  assert.equal(inferFrequency(["2020-01-01"]), "irregular");
  assert.equal(inferFrequency(["2020-01-01", "2020-03-01", "2020-05-01"]), "irregular");
});

// --- properties and real files -----------------------------------------------------------------

test("property: any table written with String(x) parses back exactly", () => {
  const cell = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constant(Number.NaN),
    fc.integer({ min: -1e6, max: 1e6 }),
  );
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 30 }),
      fc.integer({ min: -20000, max: 20000 }),
      fc.array(fc.array(cell, { minLength: 4, maxLength: 4 }), { minLength: 30, maxLength: 30 }),
      fc.boolean(),
      (nCols, nRows, startDay, grid, quoted) => {
        // quoted cells take the csv-parse path, unquoted ones the fast split: same result
        const q = (x: string) => (quoted ? `"${x}"` : x);
        const dates = Array.from({ length: nRows }, (_, i) =>
          new Date((startDay + 3 * i) * 86_400_000).toISOString().slice(0, 10),
        );
        const header = ["date", ...Array.from({ length: nCols }, (_, j) => `c${j}`)].map(q).join(",");
        const rows = dates.map((d, i) =>
          [d, ...grid[i].slice(0, nCols).map((x) => (Number.isNaN(x) ? "." : String(x)))].map(q).join(","),
        );
        const t = parseWideCsv(lines(header, ...rows), f);
        assert.deepEqual(t.dates, dates);
        for (let j = 0; j < nCols; j++) {
          // Exact: String(x) is the shortest round-trip representation of a double (ECMA-262);
          // only the sign of zero is lost, because String(-0) is "0".
          assert.deepEqual(
            [...t.values[j]],
            grid.slice(0, nRows).map((r) => (Object.is(r[j], -0) ? 0 : r[j])),
          );
        }
      },
    ),
    { numRuns: 200 },
  );
});

test("every shared FRED file parses as a FRED CSV", { skip: sharedSkip("data/fred/DGS10.csv") }, async () => {
  const dir = sharedPath("data/fred");
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".csv"))) {
    const table = await readCsvFile(join(dir, name));
    assert.equal(table.columns.length, 1, name);
  }
  const dgs10 = parseFredCsv((await import("node:fs")).readFileSync(join(dir, "DGS10.csv"), "utf8"), {
    file: "DGS10.csv",
  });
  // Spot values from ../shared/data/PROVENANCE.md (independent of this parser): exact decimals.
  const at = (d: string) => dgs10.values[dgs10.dates.indexOf(d)];
  assert.equal(at("2020-08-04"), 0.52);
  assert.equal(at("2023-10-19"), 4.98);
  assert.equal(dgs10.meta.frequency, "d");
});
