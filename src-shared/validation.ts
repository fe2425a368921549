/**
 * Turning valibot issues into messages a person can act on.
 *
 * Every message names the field at fault by its path in the payload, written the way one would
 * index it in JavaScript: `models[0].config.dimM: must be a whole number`. The same formatter is
 * used by the UI (form validation) and the service (payload validation at the boundary), so one
 * mistake reads the same on both sides.
 */
import * as v from 'valibot';

/** One problem with one field. `path` is '' when the value as a whole is wrong. */
export interface FieldIssue {
  path: string;
  message: string;
}

export type Validated<T> = { success: true; output: T } | { success: false; issues: FieldIssue[] };

type AnyIssue = v.BaseIssue<unknown>;

const OBJECT_TYPES = new Set(['object', 'strict_object', 'loose_object']);

/** `['models', 0, 'config', 'dimM']` -> `models[0].config.dimM`. */
export function issuePath(issue: AnyIssue): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = (item as { key: unknown }).key;
    out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  }
  return out;
}

function issueMessage(issue: AnyIssue): string {
  // Object schemas carry no custom message: the three ways an object can be wrong are told apart here.
  if (OBJECT_TYPES.has(issue.type)) {
    if (issue.expected === 'never') return 'unknown field';
    if (issue.received === 'undefined' && issue.path?.length) return 'is required';
    return `must be an object, got ${issue.received}`;
  }
  return issue.message;
}

export function toFieldIssues(issues: readonly AnyIssue[]): FieldIssue[] {
  return issues.map((issue) => ({ path: issuePath(issue), message: issueMessage(issue) }));
}

/** `a.b: message; c: message` (the form used in error messages). */
export function formatIssues(issues: readonly FieldIssue[]): string {
  return issues.map(({ path, message }) => (path ? `${path}: ${message}` : message)).join('; ');
}

export function validate<S extends v.GenericSchema>(schema: S, value: unknown): Validated<v.InferOutput<S>> {
  const result = v.safeParse(schema, value, { abortPipeEarly: true });
  if (result.success) return { success: true, output: result.output };
  return { success: false, issues: toFieldIssues(result.issues) };
}

// Small schema builders with messages in the house style (the path is added by the formatter).

export const nonEmptyString = (what = 'a non-empty string') =>
  v.pipe(v.string(`must be ${what}`), v.trim(), v.minLength(1, `must be ${what}`));

export const wholeNumber = (min: number, max: number) =>
  v.pipe(
    v.number(`must be a whole number from ${min} to ${max}`),
    v.integer(`must be a whole number from ${min} to ${max}`),
    v.minValue(min, `must be a whole number from ${min} to ${max}`),
    v.maxValue(max, `must be a whole number from ${min} to ${max}`),
  );

export const idList = (what: string, max = 10_000) =>
  v.pipe(
    v.array(nonEmptyString(`a ${what} id`), `must be a list of ${what} ids`),
    v.minLength(1, `must name at least one ${what}`),
    v.maxLength(max, `must name at most ${max} ${what}s`),
  );
