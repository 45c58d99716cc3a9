/** Plain-text formatting shared by summaries and the CLI: aligned tables and fixed-decimal numbers. */

export type Align = "left" | "right";

/** A plain aligned text table; numbers right-aligned. */
export function formatTable(header: string[], rows: (string | number | null)[][], align?: Align[]): string {
  const cells = rows.map((r) => r.map((c) => (c === null ? "" : String(c))));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? "").length)));
  const al =
    align ?? header.map((_, i) => (rows.length && typeof rows[0][i] === "number" ? "right" : "left"));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (al[i] === "right" ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(fmt)].join("\n");
}

/** Format a number with fixed decimals, or "" for missing. */
export function num(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "" : x.toFixed(digits);
}
