/**
 * Typed errors. Each kind maps to one process exit code so scripts can tell a bad input file
 * from an offline FRED from a locked store without parsing messages. Messages name what is
 * wrong and where (file, line, column, series, date).
 */

/** Exit codes of the `yardstick` CLI. 0 = success. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  badInput: 3,
  notFound: 4,
  network: 5,
  store: 6,
  model: 7,
} as const;
export type ExitCodeName = keyof typeof ExitCode;

export class YardstickError extends Error {
  readonly exitCode: number;
  constructor(message: string, kind: ExitCodeName = "failure", options?: { cause?: unknown }) {
    super(message, options);
    this.name = "YardstickError";
    this.exitCode = ExitCode[kind];
  }
}

/** Where in an input file a problem sits. Lines are 1-based and count the header line. */
export interface InputLocation {
  file?: string;
  line?: number;
  column?: string;
}

export function formatLocation(loc: InputLocation): string {
  const parts: string[] = [];
  if (loc.file) parts.push(loc.file);
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (loc.column !== undefined) parts.push(`column "${loc.column}"`);
  return parts.join(", ");
}

/** Malformed input: bad dates, text in numbers, duplicates, unsorted rows, empty or non-CSV files. */
export class InputError extends YardstickError {
  readonly location: InputLocation;
  constructor(message: string, location: InputLocation = {}) {
    const where = formatLocation(location);
    super(where ? `${where}: ${message}` : message, "badInput");
    this.name = "InputError";
    this.location = location;
  }
}

/** A series id (or other named thing) that does not exist. */
export class NotFoundError extends YardstickError {
  constructor(message: string) {
    super(message, "notFound");
    this.name = "NotFoundError";
  }
}

/** FRED (or another remote source) refused, failed or could not be reached. */
export class NetworkError extends YardstickError {
  readonly status?: number;
  constructor(message: string, status?: number, options?: { cause?: unknown }) {
    super(message, "network", options);
    this.name = "NetworkError";
    this.status = status;
  }
}

/** The store could not be opened or written (read-only, locked by another process, corrupt). */
export class StoreError extends YardstickError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "store", options);
    this.name = "StoreError";
  }
}

/** A model cannot run on what it was given (too-short sample, singular matrix, NaN input). */
export class ModelError extends YardstickError {
  constructor(message: string) {
    super(message, "model");
    this.name = "ModelError";
  }
}

/**
 * Soft problems are recorded, never thrown and never silent: a forward-filled gap, a truncated
 * sample, a stale series, an optimiser that stopped early.
 */
export interface Warning {
  code: string;
  message: string;
  series?: string;
  date?: string;
}
