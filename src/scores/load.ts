/**
 * The I/O side of scores: recipe files, consensus CSVs and the store's series. Everything else in
 * src/scores is pure functions over Series; this is the only module that reads files or the store.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { NotFoundError } from "../core/errors.ts";
import type { Series } from "../core/series.ts";
import { readCsvFile, readTextFile } from "../sources/csv.ts";
import type { Store } from "../store/store.ts";
import { BUILTIN_SCORES, builtinRecipes, ISM_SERIES } from "./builtins/index.ts";
import { type ConsensusPath, consensusFromTable } from "./consensus.ts";
import { missingSeriesMessage, requiredSeries, type ScoreInputs } from "./engine.ts";
import { parseRecipeText, type Recipe } from "./recipe.ts";

/** A recipe argument is a file when it has a recipe extension or names an existing file. */
export function isRecipeFile(arg: string): boolean {
  return /\.(ya?ml|json)$/i.test(arg) || (arg.includes("/") && existsSync(arg));
}

/** Read and validate a recipe file (YAML or JSON); errors name the file, line and field. */
export async function loadRecipeFile(path: string): Promise<Recipe> {
  const text = await readTextFile(resolve(path));
  return parseRecipeText(text, path);
}

/** The ids of the store that switch built-ins (ISM sub-indices), without listing the whole store. */
async function availableSwitches(store: Store): Promise<Set<string>> {
  const out = new Set<string>();
  for (const id of ISM_SERIES) if (await store.getMeta(id)) out.add(id);
  return out;
}

export interface ResolvedScore {
  /** Name of the score to compute. */
  name: string;
  /** Built-ins plus the user's recipe (which may use built-ins as components). */
  recipes: Map<string, Recipe>;
  /** "built-in" or the recipe file's path. */
  origin: string;
}

/** A built-in name or a recipe file, with the registry it resolves against. */
export async function resolveScore(arg: string, store: Store): Promise<ResolvedScore> {
  const recipes = builtinRecipes(await availableSwitches(store));
  if (isRecipeFile(arg)) {
    const r = await loadRecipeFile(arg);
    recipes.set(r.name, r);
    return { name: r.name, recipes, origin: resolve(arg) };
  }
  if (!recipes.has(arg)) {
    throw new NotFoundError(
      `unknown score "${arg}": built-ins are ${[...BUILTIN_SCORES, "us-slack-indicator"].join(", ")}; ` +
        "or pass a recipe file (.yaml, .yml, .json)",
    );
  }
  return { name: arg, recipes, origin: "built-in" };
}

/** The built-in registry for a store (ISM-based inventory cycle when the user imported ISM data). */
export async function storeRecipes(store: Store): Promise<Map<string, Recipe>> {
  return builtinRecipes(await availableSwitches(store));
}

/**
 * Read every series the named scores need (and their targets when asked) from the store's newest
 * vintage. An unknown id is a NotFoundError naming the recipe and component.
 */
export async function loadScoreInputs(
  store: Store,
  recipes: ReadonlyMap<string, Recipe>,
  names: readonly string[],
  { targets = false, extra = [] }: { targets?: boolean; extra?: readonly string[] } = {},
): Promise<{ inputs: ScoreInputs; vintage: string | null }> {
  const series = new Map<string, Series>();
  let vintage: string | null = null;
  const reqs = names.flatMap((n) => requiredSeries(n, recipes, { targets }));
  const wanted = [...reqs, ...extra.map((id) => ({ id, recipe: "", component: 0, role: "series" as const }))];
  for (const req of wanted) {
    if (series.has(req.id)) continue;
    try {
      const got = await store.getSeries(req.id);
      series.set(req.id, got.series);
      if (vintage === null || got.vintage > vintage) vintage = got.vintage;
    } catch (err) {
      if (err instanceof NotFoundError && req.recipe) {
        const near = await store.suggest(req.id);
        throw new NotFoundError(
          missingSeriesMessage(req, near.length ? ` (did you mean ${near.join(", ")}?)` : ""),
        );
      }
      throw err;
    }
  }
  return { inputs: { series, recipes }, vintage };
}

/** Read a consensus-path CSV (see consensus.ts for the format). */
export async function loadConsensusFile(path: string): Promise<ConsensusPath[]> {
  return consensusFromTable(await readCsvFile(resolve(path), { file: path }));
}
