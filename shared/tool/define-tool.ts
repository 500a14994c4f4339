import type * as z from 'zod/mini';
import { defaultRolesFor, type RiskClass, type Role } from './roles.ts';
import type { FlowMode, Voucher } from './flow-vocabulary.ts';
import type { ACCESS_ACTIONS, DynamoDbAction } from '../tables/index.ts';

/** A token bucket's capacity and its refill per minute. */
export interface BucketLimit {
  /** Calls admitted in a burst. */
  readonly capacity: number;
  /** Calls admitted per minute once the burst is spent. */
  readonly refillPerMinute: number;
}

/** A tool's rate limits: a bucket per user and one for the tool as a whole. */
export interface ToolLimits {
  /** One bucket per (user, tool). */
  readonly perUser: BucketLimit;
  /** One bucket per tool, shared by every user. */
  readonly perTool: BucketLimit;
}

/** A tool's breaker: how many failures within which window open it, and for how long. */
export interface BreakerSettings {
  /** Failures within `windowMs` that open the breaker. */
  readonly failureThreshold: number;
  readonly windowMs: number;
  /** How long the breaker stays open before one probe is let through. */
  readonly cooldownMs: number;
}

/**
 * What a tool's handler touches beyond the guard tables. The deployed function gets exactly these
 * grants and the environment variables that name them; nothing else.
 */
export type ToolResource =
  /** A DynamoDB table by its logical id (a `TableSpec.id`). */
  | {
      readonly kind: 'table';
      readonly table: string;
      readonly access: keyof typeof ACCESS_ACTIONS;
      /**
       * The DynamoDB actions the handler calls: exactly these are granted, and each must be one of
       * `access`'s (the deployment refuses one that is not).
       * @default every action of `access` (`ACCESS_ACTIONS`)
       */
      readonly actions?: readonly DynamoDbAction[];
    }
  /** The documents bucket (a folder locally). `delete` includes reading, to check the document exists. */
  | { readonly kind: 'documents'; readonly access: 'read' | 'delete' }
  /** Sending email from the configured sender identity. */
  | { readonly kind: 'email' }
  /** The public internet (no AWS grant; the tool's own allowlist bounds it). */
  | { readonly kind: 'internet' }
  /**
   * One tool of a remote MCP server: the server by its id in GuardedAgent's `mcpServers` (its URL
   * and credentials are the deployment's; the function gets the URL and read access to the
   * credentials' secret, no more), the tool's name there and the definition it is pinned to (part
   * of the declaration's version, so a re-pin shows in the audit trail). Written by `defineMcpTool`.
   */
  | { readonly kind: 'mcpServer'; readonly server: string; readonly remoteName: string; readonly pinned: string };

/** Who a call is for: the user id and the groups their token carries. */
export interface Caller {
  readonly userId: string;
  readonly groups: readonly string[];
}

/** What a handler gets besides its validated input. */
export interface ToolContext<Deps> {
  readonly runId: string;
  readonly callId: string;
  readonly caller: Caller;
  /** Aborted when the tool's timeout fires: pass it to fetch and SDK calls. */
  readonly signal: AbortSignal;
  readonly deps: Deps;
}

/** The kind of schema a tool's `input` is: a strict zod object. */
export type ToolInputSchema = z.ZodMiniObject<z.core.$ZodLooseShape, z.core.$strict>;

/**
 * Everything about a tool, declared once. The Lambda, its guards, the model's tool list, the
 * screening in the loop, the dashboard and the docs are all derived from this object.
 */
export interface ToolDefinition<Schema extends ToolInputSchema = ToolInputSchema, Deps = unknown, Output = unknown> {
  /** snake_case verb_noun, e.g. `search_knowledge_base`. */
  readonly name: string;
  /** At least 40 characters; says what the tool does and what it returns. */
  readonly description: string;
  /** A strict zod/mini object: unknown keys are rejected. */
  readonly input: Schema;
  readonly risk: RiskClass;
  /** @default the roles of `defaultRolesFor[risk]` */
  readonly roles: readonly Role[];
  readonly limits: ToolLimits;
  /** Budget for the handler; the Lambda gets this plus headroom for the guards. */
  readonly timeoutMs: number;
  readonly breaker: BreakerSettings;
  /** @default [] (the guard tables only) */
  readonly resources: readonly ToolResource[];
  /**
   * Whether what the tool returns could have been written by anyone (`untrusted`: a web page, a
   * document from outside, an inbound email). Once such content enters a run, its calls to sinks
   * need approval (see `reaches`). @default 'trusted'
   */
  readonly output: 'trusted' | 'untrusted';
  /**
   * Where the tool's arguments go: `external` makes it a sink (email out, a public announcement, a
   * URL's query string). @default 'internal'
   */
  readonly reaches: 'internal' | 'external';
  /** Overrides the deployment's information-flow mode for this tool. @default the deployment's (`approve`) */
  readonly flow?: FlowMode;
  /**
   * (A sink) The arguments that say where the call sends or whom it empowers (a recipient, a
   * password), each with what may vouch for its value once untrusted content is in the run:
   * `prompt` (the user wrote it in the request) or `record:<name>` (a tool's `records.<name>`
   * returned it earlier in the run). A call whose every such argument is vouched for runs without
   * approval; others wait as before. Data in the other arguments goes where these say, so they are
   * not named. @default none: every call to the sink waits, once untrusted content is in the run
   */
  readonly sinkArguments?: Readonly<Partial<Record<keyof z.output<Schema> & string, readonly Voucher[]>>>;
  /**
   * (A source) The user's own records in what this tool returns, by name: each picks the values
   * out of a result (`payee: (rows) => rows.map((r) => r.recipient)`). Only fields no outsider can
   * write belong here (never a subject or a body), and only fields that a sink argument guards
   * (a payee is written only by calls whose recipient is vouched for or approved). @default none
   */
  readonly records?: Readonly<Record<string, (result: unknown) => readonly unknown[]>>;
  /**
   * Whether what the tool does can be undone (a deleted document restored from its version; an email
   * cannot be recalled). Shown to approvers. @default true, except for destructive tools
   */
  readonly reversible: boolean;
  /**
   * Distinct approvers a call needs before it runs (never the requester; any denial denies). Only
   * calls that wait for approval are concerned (destructive tools, sinks under information flow).
   * @default 1
   */
  readonly quorum?: number;
  /**
   * Tool lint rules this tool is exempt from, each with why (at least 20 characters), as cdk-nag's
   * suppressions are: for a rule that misreads the tool, e.g. a `send_money` whose sends are kept by
   * information-flow rules rather than by a person on every call. An unknown rule or a short reason
   * is a lint finding itself. @default none
   */
  readonly lintExceptions?: Readonly<Record<string, string>>;
  // Method syntax on purpose: a tool with a specific input must still be usable where any tool is.
  /** The tool's work, behind every guard: its input as the schema parsed it, and its context (its dependencies, the caller, an abort signal). */
  handler(input: z.output<Schema>, context: ToolContext<Deps>): Promise<Output>;
}

/**
 * What `defineTool` takes: a tool's declaration, with the fields that have defaults optional.
 */
export type ToolDeclaration<Schema extends ToolInputSchema, Deps, Output> = Omit<
  ToolDefinition<Schema, Deps, Output>,
  'roles' | 'resources' | 'output' | 'reaches' | 'reversible'
> & {
  readonly reversible?: boolean;
  readonly roles?: readonly Role[];
  readonly resources?: readonly ToolResource[];
  readonly output?: 'trusted' | 'untrusted';
  readonly reaches?: 'internal' | 'external';
};

/** A tool of any shape, as the catalog, the pipeline and the lint see it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool = ToolDefinition<ToolInputSchema, any, unknown>;

/**
 * Declares a tool. Structural mistakes throw here, at import time; style and safety rules
 * (naming, descriptions, bounds) are checked by `lintTools`, in the tests and at synth.
 *
 * @example
 * export const lookupOrder = defineTool({
 *   name: 'lookup_order',
 *   description: 'Look up one order by id. Returns its status, items, total and dates.',
 *   input: z.strictObject({ orderId: identifier({ ... }) }),
 *   risk: 'read',
 *   limits: { perUser: { capacity: 20, refillPerMinute: 30 }, perTool: { capacity: 200, refillPerMinute: 600 } },
 *   timeoutMs: 3000,
 *   breaker: { failureThreshold: 5, windowMs: 60_000, cooldownMs: 30_000 },
 *   handler: async ({ orderId }, { deps }) => deps.orders.get(orderId),
 * });
 */
export const defineTool = <Schema extends ToolInputSchema, Deps, Output>(
  declaration: ToolDeclaration<Schema, Deps, Output>,
): ToolDefinition<Schema, Deps, Output> => {
  const { name, limits, timeoutMs, breaker } = declaration;
  const positive = (value: number, what: string) => {
    if (!Number.isFinite(value) || value <= 0) throw new TypeError(`Tool ${name}: ${what} must be a positive number, got ${value}`);
  };
  positive(limits.perUser.capacity, 'limits.perUser.capacity');
  positive(limits.perUser.refillPerMinute, 'limits.perUser.refillPerMinute');
  positive(limits.perTool.capacity, 'limits.perTool.capacity');
  positive(limits.perTool.refillPerMinute, 'limits.perTool.refillPerMinute');
  positive(timeoutMs, 'timeoutMs');
  positive(breaker.failureThreshold, 'breaker.failureThreshold');
  positive(breaker.windowMs, 'breaker.windowMs');
  positive(breaker.cooldownMs, 'breaker.cooldownMs');
  if (declaration.quorum !== undefined && !(Number.isInteger(declaration.quorum) && declaration.quorum >= 1 && declaration.quorum <= 5))
    throw new TypeError(`Tool ${name}: quorum must be a whole number of approvers from 1 to 5, got ${declaration.quorum}`);
  if (declaration.input._zod.def.type !== 'object' || declaration.input._zod.def.catchall?._zod.def.type !== 'never') {
    throw new TypeError(`Tool ${name}: input must be z.strictObject({...}) so that unknown keys are rejected`);
  }
  checkFlowDeclaration(declaration);
  return Object.freeze({
    ...declaration,
    roles: declaration.roles ?? defaultRolesFor[declaration.risk],
    resources: declaration.resources ?? [],
    output: declaration.output ?? 'trusted',
    reaches: declaration.reaches ?? 'internal',
    reversible: declaration.reversible ?? declaration.risk !== 'destructive',
  });
};

const VOUCHER = /^(prompt|record:[a-z][a-zA-Z0-9_]{0,63})$/;

/** Sink arguments only on a sink, each an argument of the tool with known vouchers; records are functions. */
const checkFlowDeclaration = (declaration: ToolDeclaration<ToolInputSchema, unknown, unknown>): void => {
  const { name, sinkArguments, records } = declaration;
  if (sinkArguments) {
    if (declaration.reaches !== 'external') throw new TypeError(`Tool ${name}: sinkArguments are for a sink (reaches: 'external')`);
    const shape = declaration.input._zod.def.shape as Record<string, unknown>;
    for (const [argument, vouchers] of Object.entries(sinkArguments) as Array<[string, readonly string[]]>) {
      if (!(argument in shape)) throw new TypeError(`Tool ${name}: sinkArguments names ${argument}, which is not one of its arguments`);
      const unknown = vouchers.find((v) => !VOUCHER.test(v));
      if (unknown !== undefined)
        throw new TypeError(`Tool ${name}: sinkArguments.${argument} has ${unknown}; a voucher is 'prompt' or 'record:<name>'`);
    }
  }
  for (const [record, pick] of Object.entries(records ?? {}))
    if (typeof pick !== 'function' || !/^[a-z][a-zA-Z0-9_]{0,63}$/.test(record))
      throw new TypeError(
        `Tool ${name}: records.${record} must be a function picking the record's values from a result, under a lower camelCase name`,
      );
};
