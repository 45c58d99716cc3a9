/**
 * Child process for the SIGKILL test: opens the store given on argv, starts a large import and
 * announces on stdout when rows are being written, so the parent can kill it mid-transaction.
 */

import { fromEpochDay } from "../../src/core/dates.ts";
import { makeSeries } from "../../src/core/series.ts";
import { Store } from "../../src/store/store.ts";

const path = process.argv[2];
const store = await Store.open({ path });
const items = [];
for (let k = 0; k < 40; k++) {
  const n = 50_000;
  const dates = Array.from({ length: n }, (_, i) => fromEpochDay(-40_000 + i));
  items.push({
    series: makeSeries(
      { id: `BIG${k}`, title: "big", units: "x", frequency: "d", source: "test", licence: "test" },
      dates,
      Float64Array.from(dates, (_, i) => i),
    ),
    origin: "kill-test",
  });
}
let announced = false;
await store.importSeries(items, {
  vintage: "2026-01-02",
  onProgress: () => {
    if (!announced) {
      announced = true;
      process.stdout.write("writing\n");
    }
  },
});
process.stdout.write("committed\n");
