import * as z from 'zod/mini';
import { boundedText } from '../../shared/argument-types/index.ts';
import { MAX_ITERATIONS_CEILING } from '../../shared/guards/index.ts';
import { modelScriptSchema } from '../../shared/model/index.ts';
import { runBudgetSchema, type RunListCursor, RunStatus } from '../../shared/runs/index.ts';
import { badRequest } from './http-error.ts';

export const startRunSchema = z.strictObject({
  input: boundedText({ description: 'What the user asks the agent.', max: 10_000, multiline: true }),
  maxIterations: z.optional(z.int().check(z.minimum(1), z.maximum(MAX_ITERATIONS_CEILING))),
  model: z.optional(modelScriptSchema),
  budget: z.optional(runBudgetSchema),
});

export const decideApprovalSchema = z.strictObject({
  decision: z.enum(['approve', 'deny']),
  reason: z.optional(boundedText({ description: 'Why, for the audit trail.', max: 500, multiline: true })),
  /** Edit, then approve: the arguments the call runs with instead (checked by the tool's own schema). */
  arguments: z.optional(z.record(z.string(), z.unknown())),
});

export const delegateApprovalSchema = z.strictObject({
  /** The colleague's user id (Cognito's `sub` deployed, the users file's `userId` locally). */
  to: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/)),
  reason: z.optional(boundedText({ description: 'Why, for the audit trail.', max: 500, multiline: true })),
});

/** A whole number from a query string, 1 to `max`. */
const queryInt = (max: number) =>
  z.pipe(z.string().check(z.regex(/^\d{1,6}$/)), z.transform(Number)).check(z.refine((n) => n >= 1 && n <= max, `must be 1 to ${max}`));

/** `GET /runs` query: a page of at most 100, of one status if given, continued from a nextToken. */
/** A tool name in a query, as declarations name tools. */
const toolNameParam = z.string().check(z.regex(/^[a-z][a-z0-9_]{0,63}$/));
/** A user id in a query (Cognito's `sub` or a local user id). */
const userIdParam = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/));

export const listRunsSchema = z.strictObject({
  limit: z.optional(queryInt(100)),
  status: z.optional(z.enum(Object.values(RunStatus) as [RunStatus, ...RunStatus[]])),
  /** One user's runs: admins may name anyone; others only themselves. */
  user: z.optional(userIdParam),
  /** Runs that asked for this tool. */
  tool: z.optional(toolNameParam),
  nextToken: z.optional(z.string().check(z.maxLength(2000))),
});

/** `GET /audit` query (admins): a time range, filters, a format; at most 10,000 records. */
export const auditSearchSchema = z.strictObject({
  since: z.optional(z.string().check(z.maxLength(40))),
  until: z.optional(z.string().check(z.maxLength(40))),
  runId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/))),
  tool: z.optional(toolNameParam),
  user: z.optional(userIdParam),
  status: z.optional(z.string().check(z.regex(/^[a-z_]{1,30}$/))),
  format: z.optional(z.enum(['json', 'jsonl', 'csv'])),
  limit: z.optional(queryInt(10_000)),
});

const runCursorSchema = z.strictObject({
  month: z.optional(z.string().check(z.regex(/^\d{4}-\d{2}$/))),
  key: z.optional(
    z.partialRecord(z.enum(['runId', 'sk', 'owner', 'month', 'createdAt']), z.strictObject({ S: z.string().check(z.maxLength(300)) })),
  ),
});

/** A `nextToken` as the listing gave it; anything else is a 400, never a query with a made-up key. */
export const decodeRunCursor = (token: string): RunListCursor => {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('nextToken is not valid.');
  }
  const parsed = z.safeParse(runCursorSchema, json);
  if (!parsed.success) throw badRequest('nextToken is not valid.');
  return parsed.data as RunListCursor;
};

const RUN_ID = /^run-[A-Za-z0-9-]{1,80}$/;
/** A loop's call (`<runId>.c<iteration>-<n>`), or one asked for over MCP (`mcp-<session>.mcp-<call hash>`). */
const APPROVAL_ID = /^(run-[A-Za-z0-9-]{1,80}\.c\d{1,3}-\d{1,3}|mcp-[0-9a-f-]{36}\.mcp-[0-9a-f]{32})$/;
export const isRunId = (value: string | undefined): value is string => typeof value === 'string' && RUN_ID.test(value);
export const isApprovalId = (value: string | undefined): value is string => typeof value === 'string' && APPROVAL_ID.test(value);
