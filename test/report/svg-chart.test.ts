import assert from "node:assert/strict";
import { test } from "node:test";
import { lineChartSvg, niceStep } from "../../src/report/svg-chart.ts";

test("missing values break a line instead of bridging the gap; shading and legend are drawn", () => {
  const svg = lineChartSvg({
    title: "A & B <test>",
    dates: ["2020-01-31", "2020-02-29", "2020-03-31", "2020-04-30", "2020-05-29"],
    series: [
      { name: "a", values: [1, 2, null, 3, 4] },
      { name: "ref", values: [1, 1, 1, 1, 1], reference: true },
    ],
    shade: [{ from: "2020-02-29", to: "2020-03-31" }],
    shadeLabel: "shaded",
  });
  // series a: two segments (gap at March); the reference: one
  assert.equal((svg.match(/<polyline /g) ?? []).length, 3);
  assert.equal(
    (svg.match(/stroke-dasharray/g) ?? []).length,
    2,
    "reference line and its legend swatch are dashed",
  );
  assert.match(svg, /A &amp; B &lt;test&gt;/, "text is escaped");
  assert.match(svg, /fill="#f2c744"/);
  assert.ok(svg.startsWith("<svg") && svg.trimEnd().endsWith("</svg>"));
});

test("niceStep picks 1, 2 or 5 times a power of ten", () => {
  assert.equal(niceStep(7, 6), 2);
  assert.equal(niceStep(0.9, 6), 0.2);
  assert.equal(niceStep(64, 12), 10);
});
