/**
 * What every command needs: the store, opened once, with the bundled data loaded on first use
 * (a progress bar on a TTY), and the global output options.
 */
import { todayIso } from "../core/dates.ts";
import { ensureBundled } from "../store/bundled.ts";
import { storePath } from "../store/home.ts";
import { Store } from "../store/store.ts";
import { createProgress } from "./progress.ts";

export interface GlobalOptions {
  json?: boolean;
  quiet?: boolean;
}

/** Open the store under YARDSTICK_HOME and make sure the bundled data is in it. */
export async function openStore(opts: GlobalOptions): Promise<Store> {
  const store = await Store.open({ path: storePath() });
  try {
    const bar = createProgress("loading bundled data", opts);
    const r = await ensureBundled(store, { onProgress: (d, t) => bar.update(d, t) });
    bar.stop();
    if (r.loaded && !opts.json && !opts.quiet) {
      process.stderr.write(
        `loaded the bundled data into ${store.path}: ${r.series} series, ${r.rows.toLocaleString("en-US")} observations (vintage ${r.vintage})\n`,
      );
    }
  } catch (err) {
    store.close();
    throw err;
  }
  return store;
}

/** Run `fn` with an open store, closing it afterwards. */
export async function withStore<T>(opts: GlobalOptions, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(opts);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

export const today = (): string => process.env.YARDSTICK_TODAY ?? todayIso();
