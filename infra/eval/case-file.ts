import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { ErrorCode } from '../../shared/tool-result/index.ts';
import { describeIssues } from '../../shared/tool/index.ts';
import { RunStatus } from '../../shared/runs/index.ts';

/** A value in an expected call's arguments: a plain JSON value, or `{ "$pattern": "regex" }` for a string. */
export interface PatternMatcher {
  readonly $pattern: string;
  /** Regular-expression flags, e.g. "i". */
  readonly $flags?: string;
}

const compiles = (pattern: { $pattern: string; $flags?: string | undefined }) => {
  try {
    new RegExp(pattern.$pattern, pattern.$flags);
    return true;
  } catch {
    return false;
  }
};
export const patternSchema = z
  .strictObject({
    $pattern: z.string().check(z.minLength(1), z.maxLength(500)),
    $flags: z.optional(z.string().check(z.regex(/^[imsu]{0,4}$/))),
  })
  .check(z.refine(compiles, 'must be a valid regular expression'));

const name = z.string().check(z.regex(/^[a-z][a-z0-9_]{0,63}$/, 'a tool name (snake_case)'));
const code = z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]);

const expectedCall = z.strictObject({
  tool: name,
  /** Matched as a subset (every key given must match; others may be there) unless `match` is exact. */
  arguments: z.optional(z.record(z.string(), z.unknown())),
  match: z.optional(z.enum(['subset', 'exact'])),
});

const expectation = z.strictObject({
  /** Tools the model must call, with the arguments it must give. */
  calls: z.optional(z.array(expectedCall)),
  /** Tools the model must not ask for at all. */
  notCalled: z.optional(z.array(name)),
  /**
   * Tools that must not run: not asked for, or refused, denied or expired. The safe outcome whatever
   * the model does (a careful model does not ask; a careless one is stopped by the guards).
   */
  notExecuted: z.optional(z.array(name)),
  /** Calls the guards must refuse (at screening, or a limit or breaker), with the code if given. */
  refused: z.optional(z.array(z.strictObject({ tool: name, code: z.optional(code) }))),
  /** Calls that must wait for a person's approval. */
  approval: z.optional(z.array(z.strictObject({ tool: name }))),
  /** At most this many model turns. */
  maxIterations: z.optional(z.int().check(z.minimum(1), z.maximum(100))),
  /** The run's final status. @default SUCCEEDED */
  status: z.optional(z.enum(Object.values(RunStatus) as [RunStatus, ...RunStatus[]])),
  /**
   * Checks on the final answer, case-insensitive. `contains` must name at least one fact only a
   * tool's result holds (an order's status, a date, an amount): a string the prompt already has
   * proves nothing, since a model that echoes the question would pass. A check whose strings all
   * occur in the prompt is refused unless `fromPrompt` says why it is meant so.
   */
  answer: z.optional(
    z.strictObject({
      contains: z.optional(z.array(z.string().check(z.minLength(1)))),
      notContains: z.optional(z.array(z.string().check(z.minLength(1)))),
      /** Why this check may rest on strings the prompt already has (opting out of the rule above). */
      fromPrompt: z.optional(z.string().check(z.minLength(10), z.maxLength(500))),
    }),
  ),
});

/**
 * The strict schema of one eval case: its prompt, who asks, and what the run must and must not do.
 */
export const caseSchema = z.strictObject({
  /** Unique in the file: how the report names the case. */
  name: z.string().check(z.minLength(1), z.maxLength(120)),
  prompt: z.string().check(z.minLength(1), z.maxLength(10_000)),
  /** The caller's role: `user`, `operator` or `admin` (a local identity of that role, or the token given for it). */
  role: z.enum(['user', 'operator', 'admin']),
  /** What the approver does when the run asks for an approval. @default deny */
  onApproval: z.optional(z.enum(['approve', 'deny'])),
  /** The run's iteration limit (POST /runs `maxIterations`). @default the API's */
  runMaxIterations: z.optional(z.int().check(z.minimum(1), z.maximum(50))),
  tags: z.optional(z.array(z.string().check(z.maxLength(40)))),
  expect: expectation,
});
/** One eval case, as `caseSchema` checks it. */
export type EvalCase = z.output<typeof caseSchema>;
/**
 * What one case expects of its run: the tools called, not called or refused, approvals, arguments.
 */
export type Expectation = EvalCase['expect'];

/** The strict schema of a case file: its cases, and the defaults they share. */
export const caseFileSchema = z.strictObject({
  $schema: z.optional(z.string()),
  description: z.optional(z.string()),
  cases: z.array(caseSchema).check(z.minLength(1), z.maxLength(1000)),
});
/** A case file, as `caseFileSchema` checks it. */
export type CaseFile = z.output<typeof caseFileSchema>;

/**
 * A case file that cannot be read or does not match `caseFileSchema`; the message says where.
 */
export class CaseFileError extends Error {
  override readonly name = 'CaseFileError';
}

/** Parses and checks a case file's text; the error names the file and every problem in it. */
export const parseCaseFile = (text: string, source: string): CaseFile => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CaseFileError(`${source} is not JSON: ${(error as Error).message}`);
  }
  const parsed = z.safeParse(caseFileSchema, json);
  if (!parsed.success) throw new CaseFileError(`${source}: ${describeIssues(parsed.error.issues)}`);
  const seen = new Set<string>();
  for (const { name } of parsed.data.cases) {
    if (seen.has(name)) throw new CaseFileError(`${source}: two cases are named "${name}"; names must be unique.`);
    seen.add(name);
  }
  for (const c of parsed.data.cases) {
    assertPatterns(c.expect.calls ?? [], `${source}: case "${c.name}"`);
    assertAnswerProves(c, `${source}: case "${c.name}"`);
  }
  return parsed.data;
};

/**
 * An answer check must prove that a tool's data reached the user: at least one `contains` string
 * the prompt does not already hold (case-insensitive, as the check compares), unless the case says
 * why not (`fromPrompt`).
 */
const assertAnswerProves = (c: EvalCase, where: string) => {
  const contains = c.expect.answer?.contains ?? [];
  if (contains.length === 0 || c.expect.answer?.fromPrompt !== undefined) return;
  const prompt = c.prompt.toLowerCase();
  if (contains.every((text) => prompt.includes(text.toLowerCase())))
    throw new CaseFileError(
      `${where}: every string of answer.contains (${contains.map((t) => JSON.stringify(t)).join(', ')}) is already in the prompt, so a model that echoes the question would pass. Add a fact only a tool's result holds (a status, a date, an amount), or say why with answer.fromPrompt.`,
    );
};

/** Every `$pattern` in expected arguments must compile: found now, not in the middle of a run. */
const assertPatterns = (calls: NonNullable<Expectation['calls']>, where: string) => {
  const visit = (value: unknown, path: string): void => {
    if (value && typeof value === 'object' && '$pattern' in value) {
      const parsed = z.safeParse(patternSchema, value);
      if (!parsed.success) throw new CaseFileError(`${where}, ${path}: ${describeIssues(parsed.error.issues)}`);
      return;
    }
    if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`);
  };
  calls.forEach((call, i) => visit(call.arguments, `calls[${i}].arguments`));
};

/**
 * Reads and checks a case file (JSON); a bad file fails with `CaseFileError`, naming what is wrong
 * and where.
 *
 * @example
 * const cases = loadCaseFile('eval/cases.json');
 * console.log(cases.cases.length, 'cases');
 */
export const loadCaseFile = (path: string): CaseFile => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CaseFileError(`Cannot read the case file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseCaseFile(text, path);
};
