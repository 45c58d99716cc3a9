/**
 * Field-addressed validation problems of scenario inputs. Domain code (paths, issuance plans)
 * reports what is wrong and which field; the file reader turns the field into a line number, so
 * a bad scenario file is named by file, line and field without the domain code knowing files.
 */
import { InputError } from "../core/errors.ts";

export type FieldPath = readonly (string | number)[];

export interface FieldIssue {
  field: FieldPath;
  message: string;
}

/** Dotted field name, e.g. `paths.dots.moves.2023`. */
export function fieldName(field: FieldPath): string {
  return field.length === 0 ? "(top level)" : field.map(String).join(".");
}

/** Where a field sits in its source, when there is one. */
export type Locator = (field: FieldPath) => { file?: string; line?: number };

/** Throw the first issue as an InputError naming the field (and file/line when `locate` is given). */
export function throwIssues(issues: readonly FieldIssue[], locate?: Locator): void {
  if (issues.length === 0) return;
  const first = issues[0];
  const more =
    issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
  throw new InputError(
    `${fieldName(first.field)}: ${first.message}${more}`,
    locate ? locate(first.field) : {},
  );
}

/** Prefix every issue's field. */
export function prefixIssues(prefix: FieldPath, issues: readonly FieldIssue[]): FieldIssue[] {
  return issues.map((i) => ({ field: [...prefix, ...i.field], message: i.message }));
}
