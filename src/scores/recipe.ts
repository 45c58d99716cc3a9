/**
 * Score recipes (METHODS.md §2, "Composite macro scores"): a score is a weighted sum of
 * components, each a series (or another score) passed through transforms and lagged by whole
 * months, then normalised, by default to an expanding (as-of) percentile rank on 0-100.
 *
 *   name: implied-inflation-expectation
 *   target: T10YIE                  # what the score is judged against
 *   components:
 *     - { series: PPIACO, transform: pct_change, periods: 12, lagMonths: 6, weight: 0.5 }
 *     - { series: us-inventory-cycle, lagMonths: 6, weight: 0.2 }   # another score
 *     - { series: composite-inflation, weight: 0.3 }
 *   normalise: percentile            # expanding by default; "full-sample" allowed and labelled
 *
 * `transform` is one step name (its parameters beside it, as `periods` above) or a list of steps
 * applied in order, each a name or `{ op, ...parameters }`. The schema is strict: an unknown
 * field (a typo such as `wieght`) is an error naming the field and, in YAML, its line.
 * Units: `periods` and `window` count observations of the input (months for monthly data);
 * `lagMonths` and `halfLife` are months; percentiles come out on 0-100.
 */
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { InputError } from "../core/errors.ts";

export const STEP_OPS = [
  "level",
  "change",
  "pct_change",
  "yoy",
  "zscore",
  "hp_trend",
  "hp_cycle",
  "percentile",
  "inverse_percentile",
  "ewma",
  "negate",
] as const;
export type StepOp = (typeof STEP_OPS)[number];

/** What each step does, for `score list`, help text and error messages. */
export const STEP_HELP: Readonly<Record<StepOp, string>> = {
  level: "the value itself",
  change: "x_t − x_{t−periods} (default periods 1)",
  pct_change: "100 (x_t / x_{t−periods} − 1) (default periods 1)",
  yoy: "percent change from a year ago (12 months, 4 quarters)",
  zscore: "(x_t − mean) / sd over history up to t (expanding), or over `window` observations",
  hp_trend: "Hodrick-Prescott trend, one-sided (real-time) unless sided: two (look-ahead)",
  hp_cycle: "x − HP trend, one-sided unless sided: two (look-ahead)",
  percentile: "percentile rank 0-100 among history up to t, or sample: full (look-ahead)",
  inverse_percentile: "100 − percentile (high values score low)",
  ewma: "geometrically weighted average of past values, weights halving every `halfLife` months",
  negate: "−x (flip the sign so that high means the same thing across components)",
};

const PARAMS = ["periods", "window", "minPeriods", "lambda", "sided", "sample", "halfLife"] as const;
type ParamName = (typeof PARAMS)[number];

/** Which parameters each step accepts; others are an error, not silently ignored. */
const ALLOWED: Readonly<Record<StepOp, readonly ParamName[]>> = {
  level: [],
  change: ["periods"],
  pct_change: ["periods"],
  yoy: [],
  zscore: ["window", "minPeriods"],
  hp_trend: ["lambda", "sided", "minPeriods"],
  hp_cycle: ["lambda", "sided", "minPeriods"],
  percentile: ["sample", "minPeriods"],
  inverse_percentile: ["sample", "minPeriods"],
  ewma: ["halfLife", "minPeriods"],
  negate: [],
};

const paramShape = {
  periods: z.int().min(1).optional(),
  window: z.int().min(2).optional(),
  minPeriods: z.int().min(1).optional(),
  lambda: z.number().min(0).optional(),
  sided: z.enum(["one", "two"]).optional(),
  sample: z.enum(["expanding", "full"]).optional(),
  halfLife: z.number().positive().optional(),
};

const opSchema = z.enum(STEP_OPS, {
  error: (iss) => `unknown transform ${JSON.stringify(iss.input)} (known: ${STEP_OPS.join(", ")})`,
});
const stepObjectSchema = z.strictObject({ op: opSchema, ...paramShape });
const stepSchema = z.union([opSchema, stepObjectSchema], {
  error: (iss) =>
    `a step is a transform name (${STEP_OPS.join(", ")}) or { op, ...parameters }, got ${JSON.stringify(iss.input)}`,
});

const componentSchema = z.strictObject({
  series: z.string().min(1),
  subtract: z.string().min(1).optional(),
  label: z.string().min(1).optional(),
  transform: z
    .union([opSchema, z.array(stepSchema).min(1)], {
      error: (iss) =>
        `must be a transform name (${STEP_OPS.join(", ")}) or a list of steps, got ${JSON.stringify(iss.input)}`,
    })
    .optional(),
  ...paramShape,
  lagMonths: z.int().min(0).default(0),
  publicationLagMonths: z.int().min(0).optional(),
  weight: z.number(),
});

export const NORMALISE = ["percentile", "full-sample", "none"] as const;
export type Normalise = (typeof NORMALISE)[number];

export const recipeSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/, "must be lower-case letters, digits, '.', '_' or '-' (e.g. my-score)"),
  description: z.string().optional(),
  /** A plain-language limitation shown with every result (e.g. "uses a public proxy for ISM"). */
  caveat: z.string().optional(),
  target: z.string().min(1).optional(),
  /** The lead (months) at which the score is meant to predict its target; evaluation covers 0..12. */
  targetLeadMonths: z.int().min(0).max(36).default(0),
  /** Units of the output (default "score 0-100" when normalised, else "index"). */
  units: z.string().optional(),
  components: z.array(componentSchema).min(1),
  normalise: z.enum(NORMALISE).default("percentile"),
  /** Valid weighted sums needed before the percentile normalisation gives a value (default 36). */
  minPeriods: z.int().min(1).optional(),
});

export type RecipeInput = z.input<typeof recipeSchema>;

export interface StepSpec {
  op: StepOp;
  periods?: number;
  window?: number;
  minPeriods?: number;
  lambda?: number;
  sided?: "one" | "two";
  sample?: "expanding" | "full";
  halfLife?: number;
}

export interface ComponentSpec {
  /** A series id or the name of another score. */
  series: string;
  /** Optional second series subtracted before the transforms (a spread such as inventories − production). */
  subtract?: string;
  label?: string;
  steps: StepSpec[];
  lagMonths: number;
  publicationLagMonths?: number;
  weight: number;
}

export interface Recipe {
  name: string;
  description?: string;
  caveat?: string;
  target?: string;
  targetLeadMonths: number;
  units?: string;
  components: ComponentSpec[];
  normalise: Normalise;
  minPeriods?: number;
}

type Path = readonly (string | number)[];

function pathText(path: Path): string {
  let s = "";
  for (const p of path) s += typeof p === "number" ? `[${p}]` : s ? `.${p}` : p;
  return s || "(top level)";
}

export interface RecipeSource {
  /** File name for messages. */
  file?: string;
  /** 1-based line of a field path in the source, when known (YAML/JSON text). */
  lineOf?: (path: Path) => number | undefined;
}

function fail(message: string, path: Path, src: RecipeSource): never {
  const line = src.lineOf?.(path);
  throw new InputError(`recipe field ${pathText(path)}: ${message}`, { file: src.file, line });
}

/** A step written as a name or an object, with its parameters checked against what the op accepts. */
function normaliseStep(raw: z.infer<typeof stepSchema>, path: Path, src: RecipeSource): StepSpec {
  if (typeof raw === "string") return { op: raw };
  const step: StepSpec = { op: raw.op };
  for (const p of PARAMS) {
    const v = raw[p];
    if (v === undefined) continue;
    if (!ALLOWED[raw.op].includes(p)) {
      fail(
        `parameter "${p}" does not apply to ${raw.op} (${raw.op} takes ${listParams(raw.op)})`,
        [...path, p],
        src,
      );
    }
    (step as unknown as Record<string, unknown>)[p] = v;
  }
  if (step.op === "ewma" && step.halfLife === undefined) fail("ewma needs halfLife (months)", path, src);
  return step;
}

function listParams(op: StepOp): string {
  return ALLOWED[op].length ? ALLOWED[op].join(", ") : "no parameters";
}

/**
 * Validate a parsed recipe object (from YAML, JSON or code) and bring it to canonical form:
 * every component with an explicit list of steps. Throws an InputError naming the field.
 */
export function parseRecipe(value: unknown, src: RecipeSource = {}): Recipe {
  const parsed = recipeSchema.safeParse(value);
  if (!parsed.success) {
    // A misspelt key also makes the real one "missing": report the unknown key, the cause.
    const issues = parsed.error.issues;
    const issue = issues.find((i) => i.code === "unrecognized_keys") ?? issues[0];
    if (issue.code === "unrecognized_keys") {
      const key = issue.keys[0];
      const path = issue.path as Path;
      const fields = Object.keys(
        path.length === 0
          ? recipeSchema.shape
          : path.includes("transform")
            ? stepObjectSchema.shape
            : componentSchema.shape,
      );
      fail(`unknown field "${key}" (known: ${fields.join(", ")})`, [...path, key], src);
    }
    const missing = issue.code === "invalid_type" && /received undefined/.test(issue.message);
    fail(missing ? "missing (required)" : issue.message, issue.path as Path, src);
  }
  const r = parsed.data;
  const components = r.components.map((c, i): ComponentSpec => {
    const path: Path = ["components", i];
    const inline = PARAMS.filter((p) => c[p] !== undefined);
    let steps: StepSpec[];
    if (Array.isArray(c.transform)) {
      if (inline.length) {
        fail(
          `parameter "${inline[0]}" beside a list of steps is ambiguous: put it inside the step it belongs to`,
          [...path, inline[0]],
          src,
        );
      }
      steps = c.transform.map((s, k) => normaliseStep(s, [...path, "transform", k], src));
    } else {
      const op = c.transform ?? "level";
      const obj: Record<string, unknown> = { op };
      for (const p of inline) obj[p] = c[p];
      steps = [normaliseStep(obj as z.infer<typeof stepObjectSchema>, path, src)];
    }
    const comp: ComponentSpec = { series: c.series, steps, lagMonths: c.lagMonths, weight: c.weight };
    if (c.subtract !== undefined) comp.subtract = c.subtract;
    if (c.label !== undefined) comp.label = c.label;
    if (c.publicationLagMonths !== undefined) comp.publicationLagMonths = c.publicationLagMonths;
    return comp;
  });
  const recipe: Recipe = {
    name: r.name,
    targetLeadMonths: r.targetLeadMonths,
    components,
    normalise: r.normalise,
  };
  if (r.description !== undefined) recipe.description = r.description;
  if (r.caveat !== undefined) recipe.caveat = r.caveat;
  if (r.target !== undefined) recipe.target = r.target;
  if (r.units !== undefined) recipe.units = r.units;
  if (r.minPeriods !== undefined) recipe.minPeriods = r.minPeriods;
  return recipe;
}

/**
 * Parse recipe text: YAML, or JSON (a subset of YAML 1.2, so one parser serves both and gives
 * line numbers for either). Syntax errors and schema errors name the line.
 */
export function parseRecipeText(text: string, file = "<recipe>"): Recipe {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new InputError(`cannot parse the recipe (YAML/JSON): ${e.message.split("\n")[0]}`, {
      file,
      line: e.linePos?.[0]?.line,
    });
  }
  const value: unknown = doc.toJS();
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InputError("a recipe is a mapping with name, components, ... (got something else)", {
      file,
      line: 1,
    });
  }
  const lineOf = (path: Path): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return parseRecipe(value, { file, lineOf });
}

/** A readable one-line description of a component's steps, e.g. "pct_change(12) → percentile". */
export function describeSteps(steps: readonly StepSpec[]): string {
  return steps
    .map((s) => {
      const params = PARAMS.filter((p) => s[p] !== undefined).map((p) =>
        p === "periods" ? String(s[p]) : `${p}=${s[p]}`,
      );
      return params.length ? `${s.op}(${params.join(", ")})` : s.op;
    })
    .join(" → ");
}

/**
 * The recipe written back in the input form (what `score show` prints, so it can be saved and
 * edited): steps as `transform`, a lone `level` omitted, defaults left out.
 */
export function recipeToInput(r: Recipe): RecipeInput {
  const out: RecipeInput = { name: r.name, components: [] };
  if (r.description !== undefined) out.description = r.description;
  if (r.caveat !== undefined) out.caveat = r.caveat;
  if (r.target !== undefined) out.target = r.target;
  if (r.targetLeadMonths !== 0) out.targetLeadMonths = r.targetLeadMonths;
  if (r.units !== undefined) out.units = r.units;
  out.components = r.components.map((c) => {
    const comp: RecipeInput["components"][number] = { series: c.series, weight: c.weight };
    if (c.subtract !== undefined) comp.subtract = c.subtract;
    if (c.label !== undefined) comp.label = c.label;
    const plain = c.steps.length === 1 && PARAMS.every((p) => c.steps[0][p] === undefined);
    if (!(plain && c.steps[0].op === "level")) {
      comp.transform = plain
        ? c.steps[0].op
        : c.steps.map((s) => (PARAMS.some((p) => s[p] !== undefined) ? { ...s } : s.op));
    }
    if (c.lagMonths !== 0) comp.lagMonths = c.lagMonths;
    if (c.publicationLagMonths !== undefined) comp.publicationLagMonths = c.publicationLagMonths;
    return comp;
  });
  out.normalise = r.normalise;
  if (r.minPeriods !== undefined) out.minPeriods = r.minPeriods;
  return out;
}
