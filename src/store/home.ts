/**
 * Where yardstick keeps its files: YARDSTICK_HOME (default ~/.yardstick/) holds the store
 * (`yardstick.duckdb`) and an optional `config.json` ({ "fredApiKey": "..." }). The FRED key is
 * read from FRED_API_KEY first, then the config file, and is never printed.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";
import { InputError } from "../core/errors.ts";

export function yardstickHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.YARDSTICK_HOME ?? join(homedir(), ".yardstick"));
}

export function storePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(yardstickHome(env), "yardstick.duckdb");
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(yardstickHome(env), "config.json");
}

const ConfigSchema = z
  .object({
    fredApiKey: z.string().min(1).optional(),
  })
  .strict();
export type Config = z.infer<typeof ConfigSchema>;

/** The config file, validated; {} when absent. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const path = configPath(env);
  if (!existsSync(path)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new InputError(`config file is not valid JSON: ${(err as Error).message}`, { file: path });
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`config: ${issue.path.join(".") || "(root)"}: ${issue.message}`, { file: path });
  }
  return parsed.data;
}

/** FRED API key from FRED_API_KEY or the config file; undefined when neither has one. */
export function fredApiKey(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.FRED_API_KEY || readConfig(env).fredApiKey;
}
