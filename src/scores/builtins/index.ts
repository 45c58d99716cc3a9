/**
 * The built-in score recipes (METHODS.md §2). Each lives in its own file with the reasoning
 * behind its choices; this module validates them through the same schema as user recipes and
 * picks the ISM or the public-proxy slack indicator depending on what the store holds.
 */
import { parseRecipe, type Recipe, type RecipeInput } from "../recipe.ts";
import { adaptiveInflationExpectations } from "./adaptive-inflation-expectations.ts";
import { compositeInflation } from "./composite-inflation.ts";
import { fedTighteningMomentum } from "./fed-tightening-momentum.ts";
import { impliedInflationExpectation } from "./implied-inflation-expectation.ts";
import {
  PROXY_CAVEAT,
  usInventoryCycle,
  usSlackIndicatorIsm,
  usSlackIndicatorProxy,
} from "./us-inventory-cycle.ts";

/** Series ids that switch the inventory cycle from the public proxy to ISM data. */
export const ISM_SERIES = ["ism.inventories", "ism.production"] as const;

/** The headline built-in scores, in the order `score list` and the report show them. */
export const BUILTIN_SCORES = [
  "implied-inflation-expectation",
  "us-inventory-cycle",
  "fed-tightening-momentum",
  "composite-inflation",
  "adaptive-inflation-expectations",
] as const;

/**
 * All built-in recipes by name (the headline scores plus the intermediate us-slack-indicator).
 * `available`: series ids in the store; the ISM slack indicator is used when both ISM ids are there.
 */
export function builtinRecipes(available: ReadonlySet<string> = new Set()): Map<string, Recipe> {
  const ism = ISM_SERIES.every((id) => available.has(id));
  const inputs: RecipeInput[] = [
    impliedInflationExpectation,
    ism ? usInventoryCycle : { ...usInventoryCycle, caveat: PROXY_CAVEAT },
    ism ? usSlackIndicatorIsm : usSlackIndicatorProxy,
    fedTighteningMomentum,
    compositeInflation,
    adaptiveInflationExpectations,
  ];
  const out = new Map<string, Recipe>();
  for (const r of inputs) out.set(r.name, parseRecipe(r, { file: `built-in recipe ${r.name}` }));
  return out;
}

/** True when the inventory cycle runs on the user's ISM data rather than the proxy. */
export function usesIsm(available: ReadonlySet<string>): boolean {
  return ISM_SERIES.every((id) => available.has(id));
}
