/**
 * A dependency-free SVG line chart for time series (the comparison charts of the report and the
 * CLI): one panel, a date axis, a value axis with round ticks, one polyline per series (gaps
 * where a value is missing, never a line drawn through them), optional shaded date ranges, a
 * legend and an "as of / source" footnote. Deterministic output, so it can be diffed and tested.
 */

export interface ChartSeries {
  name: string;
  values: readonly (number | null)[];
  color?: string;
  /** Drawn wide and dashed, under the others: for a published reference series. */
  reference?: boolean;
}

export interface LineChartSpec {
  title: string;
  /** ISO dates, increasing, one per value. */
  dates: readonly string[];
  series: readonly ChartSeries[];
  yLabel?: string;
  /** Date ranges to shade (e.g. periods where two models disagree in sign). */
  shade?: readonly { from: string; to: string }[];
  shadeLabel?: string;
  footnote?: string;
  width?: number;
  height?: number;
}

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Fractional year of an ISO date, for a linear time axis. */
function yearFraction(iso: string): number {
  const y = Number(iso.slice(0, 4));
  const start = Date.UTC(y, 0, 1);
  const end = Date.UTC(y + 1, 0, 1);
  return y + (Date.parse(`${iso}T00:00:00Z`) - start) / (end - start);
}

/** Round tick step (1, 2 or 5 × 10^k) giving about `target` ticks over `span`. */
export function niceStep(span: number, target = 6): number {
  const raw = span / Math.max(1, target);
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

export function lineChartSvg(spec: LineChartSpec): string {
  const width = spec.width ?? 960;
  const height = spec.height ?? 420;
  const m = { left: 60, right: 20, top: 40, bottom: 70 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const xs = spec.dates.map(yearFraction);
  const x0 = xs[0] ?? 0;
  const x1 = xs[xs.length - 1] ?? 1;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of spec.series) {
    for (const v of s.values) {
      if (v !== null && Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 1;
  }
  const yStep = niceStep(hi - lo || 1);
  const yMin = Math.floor(lo / yStep) * yStep;
  const yMax = Math.ceil(hi / yStep) * yStep || yMin + yStep;
  const px = (x: number) => m.left + ((x - x0) / (x1 - x0 || 1)) * pw;
  const py = (y: number) => m.top + (1 - (y - yMin) / (yMax - yMin)) * ph;
  const f = (n: number) => n.toFixed(1);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="${m.left}" y="22" font-size="15" font-weight="bold">${esc(spec.title)}</text>`);
  for (const r of spec.shade ?? []) {
    const a = px(yearFraction(r.from));
    const b = px(yearFraction(r.to)) + Math.max(1, pw / Math.max(1, spec.dates.length));
    out.push(
      `<rect x="${f(a)}" y="${m.top}" width="${f(Math.max(1, b - a))}" height="${ph}" fill="#f2c744" fill-opacity="0.35"/>`,
    );
  }
  // value grid and ticks
  for (let y = yMin; y <= yMax + yStep / 2; y += yStep) {
    const yy = py(y);
    out.push(
      `<line x1="${m.left}" x2="${m.left + pw}" y1="${f(yy)}" y2="${f(yy)}" stroke="${Math.abs(y) < yStep / 1e6 ? "#666" : "#ddd"}"/>`,
    );
    out.push(
      `<text x="${m.left - 6}" y="${f(yy + 4)}" text-anchor="end">${esc(Number(y.toFixed(6)).toString())}</text>`,
    );
  }
  // date ticks: whole years, thinned to about 12 labels
  const yearStep = niceStep(x1 - x0 || 1, 12);
  for (let yr = Math.ceil(x0 / yearStep) * yearStep; yr <= x1; yr += yearStep) {
    const xx = px(yr);
    out.push(`<line x1="${f(xx)}" x2="${f(xx)}" y1="${m.top + ph}" y2="${m.top + ph + 5}" stroke="#666"/>`);
    out.push(`<text x="${f(xx)}" y="${m.top + ph + 18}" text-anchor="middle">${Math.round(yr)}</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#666"/>`);
  if (spec.yLabel) {
    out.push(
      `<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`,
    );
  }
  // reference series first, so the estimates are drawn on top of them
  const order = spec.series
    .map((s, k) => ({ s, k }))
    .sort((a, b) => Number(b.s.reference ?? false) - Number(a.s.reference ?? false));
  let lx = m.left;
  for (const { s, k } of order) {
    const color = s.color ?? (s.reference ? "#999" : PALETTE[k % PALETTE.length]);
    const stroke = s.reference ? `stroke-width="3" stroke-dasharray="5 3"` : `stroke-width="1.3"`;
    const segments: string[] = [];
    let cur: string[] = [];
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        if (cur.length > 1) segments.push(cur.join(" "));
        cur = [];
        return;
      }
      cur.push(`${f(px(xs[i]))},${f(py(v))}`);
    });
    if (cur.length > 1) segments.push(cur.join(" "));
    for (const pts of segments) {
      out.push(`<polyline fill="none" stroke="${color}" ${stroke} points="${pts}"/>`);
    }
    const ly = height - 28;
    out.push(`<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${color}" ${stroke}/>`);
    out.push(`<text x="${lx + 28}" y="${ly + 4}">${esc(s.name)}</text>`);
    // about 7 px per character at 12 px
    lx += 40 + 7 * s.name.length;
  }
  if (spec.shade?.length && spec.shadeLabel) {
    out.push(
      `<rect x="${lx}" y="${height - 34}" width="22" height="12" fill="#f2c744" fill-opacity="0.35"/>`,
    );
    out.push(`<text x="${lx + 28}" y="${height - 24}">${esc(spec.shadeLabel)}</text>`);
  }
  if (spec.footnote)
    out.push(`<text x="${m.left}" y="${height - 8}" font-size="10" fill="#555">${esc(spec.footnote)}</text>`);
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
