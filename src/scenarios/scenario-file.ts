/**
 * Scenario files, YAML or JSON: policy-rate scenarios (`scenario policy`, METHODS.md §1b) and
 * issuance scenarios (`scenario supply`, §1c). Both formats go through the `yaml` parser (JSON is
 * YAML's flow subset) so every value keeps its source line and maps keep the order they were
 * written in: a message can say "line 9: paths.dots.moves.2023: years out of order", which plain
 * JSON.parse could not (it reorders integer-like keys such as years). Shapes are checked with
 * zod; rules that need the domain (years in order, terminal vs start rate) come back as field
 * issues from the domain modules and are located here.
 */
import { existsSync, readFileSync } from "node:fs";
import { extname } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import { type ZodType, z } from "zod";
import { isIsoDate } from "../core/dates.ts";
import { InputError, NotFoundError } from "../core/errors.ts";
import type { RecessionAssumption } from "./fair-value.ts";
import type { IssuanceScenario } from "./issuance.ts";
import { type FieldIssue, type FieldPath, type Locator, throwIssues } from "./issues.ts";
import type { PathSpec } from "./policy-path.ts";

export interface ScenarioDocument {
  file: string;
  /** The parsed value (plain objects, arrays, strings, numbers). */
  value: unknown;
  /** File and 1-based line of the value at `field`, or of its nearest existing ancestor. */
  locate: Locator;
  /** Keys of the map at `field` in the order written (empty when it is not a map). */
  keysOf(field: FieldPath): string[];
}

function keyText(node: unknown): string {
  return isScalar(node) ? String(node.value) : String(node);
}

/** Parse scenario text; `format` defaults to JSON when the text starts with "{". */
export function parseScenarioText(
  text: string,
  file = "<scenario>",
  format: "yaml" | "json" = text.trimStart().startsWith("{") ? "json" : "yaml",
): ScenarioDocument {
  const lines = new LineCounter();
  if (format === "json") {
    try {
      JSON.parse(text);
    } catch (err) {
      const msg = (err as Error).message;
      const pos = /position (\d+)/.exec(msg);
      const line = pos ? text.slice(0, Number(pos[1])).split("\n").length : undefined;
      throw new InputError(`not valid JSON: ${msg.replace(/ in JSON at position \d+.*/, "")}`, {
        file,
        line,
      });
    }
  }
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line;
    const what = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    throw new InputError(`not valid ${format === "json" ? "JSON" : "YAML"}: ${what}`, {
      file,
      line,
    });
  }
  if (doc.contents === null) throw new InputError("the scenario file is empty", { file });
  const lineOfNode = (n: YamlNode | null | undefined): number | undefined =>
    n?.range ? lines.linePos(n.range[0]).line : undefined;
  const nodeAt = (
    field: FieldPath,
  ): { node: YamlNode | null; line: number | undefined; keysNode: unknown } => {
    let node: unknown = doc.contents;
    let line = lineOfNode(doc.contents as YamlNode);
    for (const seg of field) {
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p.key) === String(seg));
        if (!pair) return { node: null, line, keysNode: null };
        const next = (pair.value ?? pair.key) as YamlNode;
        line = lineOfNode(next) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === "number") {
        const item = node.items[seg] as YamlNode | undefined;
        if (!item) return { node: null, line, keysNode: null };
        line = lineOfNode(item) ?? line;
        node = item;
      } else return { node: null, line, keysNode: null };
    }
    return { node: node as YamlNode, line, keysNode: node };
  };
  return {
    file,
    value: doc.toJS(),
    locate: (field) => ({ file, line: nodeAt(field).line }),
    keysOf: (field) => {
      const n = nodeAt(field).keysNode;
      return isMap(n) ? n.items.map((p) => keyText(p.key)) : [];
    },
  };
}

/** Read a scenario file (.yaml, .yml or .json). */
export function readScenarioFile(path: string): ScenarioDocument {
  if (!existsSync(path)) throw new NotFoundError(`scenario file ${path} does not exist`);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new InputError(`cannot read the scenario file: ${(err as Error).message}`, { file: path });
  }
  const ext = extname(path).toLowerCase();
  return parseScenarioText(
    text,
    path,
    ext === ".json" ? "json" : ext === ".yaml" || ext === ".yml" ? "yaml" : undefined,
  );
}

/** Check `value` against `schema`; the first problem becomes an InputError with file and line. */
function validate<T>(doc: ScenarioDocument, schema: ZodType<T>, value: unknown, prefix: FieldPath = []): T {
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) return r.data;
  const issues: FieldIssue[] = r.error.issues.map((i) => {
    const field = [...prefix, ...(i.path as (string | number)[])];
    if (i.code === "unrecognized_keys") {
      const keys = i.keys;
      return {
        field: [...field, keys[0]],
        message: `unknown field${keys.length > 1 ? "s" : ""} ${keys.map((k) => `"${k}"`).join(", ")}`,
      };
    }
    const input = (i as { input?: unknown }).input;
    if (input === undefined) return { field, message: "required field is missing" };
    const got =
      typeof input === "object" ? (Array.isArray(input) ? "a list" : "a map") : JSON.stringify(input);
    return { field, message: `${i.message} (got ${got})` };
  });
  throwIssues(issues, doc.locate);
  throw new Error("unreachable");
}

// ---------------------------------------------------------------------------------------------
// policy scenarios

export type TermPremiumInput =
  | { kind: "number"; pct: number }
  | { kind: "byMaturity"; pct: Map<number, number> }
  | { kind: "model"; model: "acm" | "hw" };

export interface PolicyScenario {
  asOf: string;
  /** null: the policy rate on asOf from the store. */
  startRatePct: number | null;
  stepBp: number;
  recession: RecessionAssumption;
  termPremium: TermPremiumInput;
  maturitiesYears: number[];
  /** null: evaluate at asOf only unless the caller gives dates. */
  evaluationDates: string[] | null;
  paths: { name: string; spec: PathSpec }[];
  /** Where the scenario came from, for messages pointing at lines. */
  source?: ScenarioDocument;
}

const date = z.string({ error: "must be a date written YYYY-MM-DD" }).refine(isIsoDate, {
  error: "must be a real date written YYYY-MM-DD",
});
const probability = z
  .number({ error: "must be a number" })
  .min(0, "a probability must be between 0 and 1")
  .max(1, "a probability must be between 0 and 1");

const PolicySchema = z.strictObject({
  asOf: date,
  startRatePct: z.number({ error: "must be a number (percent)" }).optional(),
  stepBp: z.number({ error: "must be a number (basis points)" }).positive("must be positive").optional(),
  recessionProbability: probability.optional(),
  recessionArrival: z
    .enum(["uniform", "immediate"], { error: 'must be "uniform" or "immediate"' })
    .optional(),
  recessionRatePct: z.number({ error: "must be a number (percent)" }).min(0, "must be >= 0").optional(),
  termPremiumPct: z.union([z.number(), z.enum(["acm", "hw"]), z.record(z.string(), z.number())], {
    error: 'must be a number (percent), "acm", "hw", or a map maturity → percent',
  }),
  maturitiesYears: z
    .array(
      z
        .number({ error: "must be a number of years" })
        .positive("must be positive")
        .max(30, "at most 30 years"),
      { error: "must be a list of maturities in years" },
    )
    .min(1, "give at least one maturity")
    .optional(),
  evaluationDates: z
    .array(date, { error: "must be a list of dates" })
    .min(1, "give at least one date")
    .optional(),
  paths: z.record(z.string(), z.unknown(), { error: "must be a map of named paths" }),
});

const MovesSchema = z.strictObject({
  moves: z.record(
    z.string(),
    z.number({ error: "must be a number of steps" }).int("must be a whole number of steps"),
    {
      error: "must be a map year → number of steps",
    },
  ),
  terminalPct: z.number({ error: "must be a number (percent)" }).min(0, "must be >= 0").optional(),
});
const PointsSchema = z.strictObject({
  points: z.record(z.string(), z.number({ error: "must be a rate in percent" }), {
    error: "must be a map date → rate",
  }),
});
const MonthlySchema = z.strictObject({
  monthly: z.array(z.number({ error: "must be a rate in percent" }), {
    error: "must be a list of monthly rates",
  }),
});

function parsePathSpec(doc: ScenarioDocument, name: string, raw: unknown): PathSpec {
  const at: FieldPath = ["paths", name];
  if (Array.isArray(raw)) {
    const rates = validate(doc, MonthlySchema.shape.monthly, raw, at);
    return { kind: "monthly", ratesPct: rates };
  }
  const fail = (message: string, field: FieldPath = at) => throwIssues([{ field, message }], doc.locate);
  if (raw === null || typeof raw !== "object") {
    fail("a path is a map with one of moves, points or monthly, or a list of monthly rates");
  }
  const kinds = ["moves", "points", "monthly"].filter((k) => k in (raw as object));
  if (kinds.length !== 1)
    fail(
      kinds.length === 0
        ? "a path needs one of moves, points or monthly"
        : `a path has one of moves, points or monthly, not ${kinds.join(" and ")}`,
    );
  if (kinds[0] === "moves") {
    const v = validate(doc, MovesSchema, raw, at);
    const years = doc.keysOf([...at, "moves"]);
    const order = years.length === Object.keys(v.moves).length ? years : Object.keys(v.moves);
    for (const y of order)
      if (!/^\d{4}$/.test(y)) fail(`"${y}" is not a calendar year (4 digits)`, [...at, "moves", y]);
    return {
      kind: "moves",
      moves: order.map((y) => ({ year: Number(y), count: v.moves[y] })),
      ...(v.terminalPct !== undefined ? { terminalPct: v.terminalPct } : {}),
    };
  }
  if (kinds[0] === "points") {
    const v = validate(doc, PointsSchema, raw, at);
    const keys = doc.keysOf([...at, "points"]);
    const order = keys.length === Object.keys(v.points).length ? keys : Object.keys(v.points);
    for (const d of order)
      if (!isIsoDate(d)) fail(`"${d}" is not a date written YYYY-MM-DD`, [...at, "points", d]);
    return { kind: "points", points: order.map((d) => ({ date: d, ratePct: v.points[d] })) };
  }
  const v = validate(doc, MonthlySchema, raw, at);
  return { kind: "monthly", ratesPct: v.monthly };
}

/** A policy scenario from a parsed document (shape checks only; path rules run when it is built). */
export function parsePolicyScenario(doc: ScenarioDocument): PolicyScenario {
  const v = validate(doc, PolicySchema, doc.value);
  const names = doc.keysOf(["paths"]).length ? doc.keysOf(["paths"]) : Object.keys(v.paths);
  if (names.length === 0) throwIssues([{ field: ["paths"], message: "give at least one path" }], doc.locate);
  const paths = names.map((name) => ({ name, spec: parsePathSpec(doc, name, v.paths[name]) }));
  const maturitiesYears = v.maturitiesYears ?? [2, 5, 10];
  maturitiesYears.forEach((m, i) => {
    if (Math.abs(Math.round(m * 12) - m * 12) > 1e-9)
      throwIssues(
        [{ field: ["maturitiesYears", i], message: `${m} years is not a whole number of months` }],
        doc.locate,
      );
  });
  let termPremium: TermPremiumInput;
  const tp = v.termPremiumPct;
  if (typeof tp === "number") termPremium = { kind: "number", pct: tp };
  else if (typeof tp === "string") termPremium = { kind: "model", model: tp };
  else {
    const map = new Map<number, number>();
    for (const [k, val] of Object.entries(tp)) {
      const m = Number(k);
      if (!(m > 0))
        throwIssues(
          [{ field: ["termPremiumPct", k], message: `"${k}" is not a maturity in years` }],
          doc.locate,
        );
      map.set(m, val);
    }
    for (const m of maturitiesYears)
      if (!map.has(m))
        throwIssues(
          [{ field: ["termPremiumPct"], message: `no term premium for maturity ${m} years` }],
          doc.locate,
        );
    termPremium = { kind: "byMaturity", pct: map };
  }
  return {
    asOf: v.asOf,
    startRatePct: v.startRatePct ?? null,
    stepBp: v.stepBp ?? 25,
    recession: {
      probability: v.recessionProbability ?? 0,
      arrival: v.recessionArrival ?? "uniform",
      ratePct: v.recessionRatePct ?? 0,
    },
    termPremium,
    maturitiesYears,
    evaluationDates: v.evaluationDates ?? null,
    paths,
    source: doc,
  };
}

/** Read and parse a policy scenario file. */
export function readPolicyScenario(path: string): PolicyScenario {
  return parsePolicyScenario(readScenarioFile(path));
}

// ---------------------------------------------------------------------------------------------
// issuance (supply) scenarios

const month = z
  .string({ error: "must be a month written YYYY-MM" })
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month written YYYY-MM");
const TENORS = [2, 3, 5, 7, 10, 20, 30] as const;

const SupplySchema = z.strictObject({
  model: z.enum(["acm", "hw"], { error: 'must be "acm" or "hw"' }).optional(),
  scale: z.enum(["pctGdp", "tn"], { error: 'must be "pctGdp" or "tn"' }).optional(),
  horizonMonths: z
    .number({ error: "must be a number of months" })
    .int("must be a whole number of months")
    .min(1, "at least 1 month")
    .max(360, "at most 360 months")
    .optional(),
  nominalGdpGrowthPct: z.number({ error: "must be a number (percent per year)" }).min(-20).max(50).optional(),
  intervalPct: z
    .number({ error: "must be a number (percent)" })
    .gt(0, "must be in (0, 100)")
    .lt(100, "must be in (0, 100)")
    .optional(),
  fedMix: z.enum(["marketable", "coupon"], { error: 'must be "marketable" or "coupon"' }).optional(),
  auctions: z
    .array(
      z.strictObject({
        tenorYears: z
          .number({ error: "must be one of 2, 3, 5, 7, 10, 20, 30" })
          .refine((t) => (TENORS as readonly number[]).includes(t), "must be one of 2, 3, 5, 7, 10, 20, 30"),
        changeBn: z.number({ error: "must be a number ($bn per month)" }),
        from: month,
        to: month.optional(),
      }),
      { error: "must be a list of auction-size changes" },
    )
    .optional(),
  centralBank: z
    .array(
      z.strictObject({
        perMonthBn: z.number({ error: "must be a number ($bn per month; negative = run-off)" }),
        from: month,
        to: month.optional(),
        durationYears: z.number({ error: "must be a duration in years" }).positive().max(30).optional(),
      }),
      { error: "must be a list of purchase or run-off programmes" },
    )
    .optional(),
  billsShare: z
    .strictObject({
      nowPct: z.number({ error: "must be a percent of marketable debt" }).min(0).max(100),
      targetPct: z.number({ error: "must be a percent of marketable debt" }).min(0).max(100),
      overMonths: z.number({ error: "must be a number of months" }).int().min(1),
    })
    .optional(),
});

export interface SupplyScenarioFile {
  scenario: IssuanceScenario;
  model: "acm" | "hw";
  scale: "pctGdp" | "tn";
  intervalPct: number;
  fedMix: "marketable" | "coupon";
  source?: ScenarioDocument;
}

export function parseSupplyScenario(doc: ScenarioDocument): SupplyScenarioFile {
  const v = validate(doc, SupplySchema, doc.value ?? {});
  return {
    scenario: {
      horizonMonths: v.horizonMonths ?? 36,
      nominalGdpGrowthPct: v.nominalGdpGrowthPct ?? 4,
      auctions: (v.auctions ?? []).map((a) => ({
        tenorYears: a.tenorYears,
        changeBn: a.changeBn,
        from: a.from,
        ...(a.to ? { to: a.to } : {}),
      })),
      centralBank: (v.centralBank ?? []).map((c) => ({
        perMonthBn: c.perMonthBn,
        from: c.from,
        ...(c.to ? { to: c.to } : {}),
        ...(c.durationYears !== undefined ? { durationYears: c.durationYears } : {}),
      })),
      ...(v.billsShare ? { billsShare: v.billsShare } : {}),
    },
    model: v.model ?? "acm",
    scale: v.scale ?? "pctGdp",
    intervalPct: v.intervalPct ?? 90,
    fedMix: v.fedMix ?? "marketable",
    source: doc,
  };
}

export function readSupplyScenario(path: string): SupplyScenarioFile {
  return parseSupplyScenario(readScenarioFile(path));
}
