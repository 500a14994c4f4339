import { type AnyTool, toolSpec } from '../tool/index.ts';

/** The namespace every generated name lives in: `GuardedAgents::User`, `GuardedAgents::Action::"send_email"`. */
export const POLICY_NAMESPACE = 'GuardedAgents';

/** A Cedar type, in the JSON schema format (`{ type: 'String' }`, `{ type: 'Record', attributes }`, ...). */
export type CedarType =
  | { readonly type: 'String' | 'Long' | 'Boolean' }
  | { readonly type: 'Extension'; readonly name: 'decimal' }
  | { readonly type: 'Set'; readonly element: CedarType }
  | { readonly type: 'Record'; readonly attributes: Readonly<Record<string, CedarType & { readonly required?: boolean }>> };

type JsonSchema = {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
};

/**
 * A tool argument's Cedar type, from the JSON Schema zod generates for the declaration: text and
 * its enums are String, whole numbers Long, other numbers decimal (Cedar has no floating point),
 * arrays Set, objects Record (an optional property is `required: false`: a policy tests it with
 * `has`). A shape Cedar cannot type (a union) is left out, so a policy that names it fails validation.
 */
export const cedarTypeOf = (schema: JsonSchema): CedarType | undefined => {
  const type = Array.isArray(schema.type) ? undefined : (schema.type as string | undefined);
  if (type === 'string' || (type === undefined && typeof (schema.const ?? schema.enum?.[0]) === 'string')) return { type: 'String' };
  if (type === 'integer') return { type: 'Long' };
  if (type === 'number') return { type: 'Extension', name: 'decimal' };
  if (type === 'boolean') return { type: 'Boolean' };
  if (type === 'array') {
    const element = schema.items ? cedarTypeOf(schema.items) : undefined;
    return element ? { type: 'Set', element } : undefined;
  }
  if (type === 'object') {
    const required = new Set(schema.required ?? []);
    const attributes: Record<string, CedarType & { required?: boolean }> = {};
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const attribute = cedarTypeOf(property);
      if (attribute) attributes[name] = required.has(name) ? attribute : { ...attribute, required: false };
    }
    return { type: 'Record', attributes };
  }
  return undefined;
};

/** What `context.lastHour` spans. */
export const LAST_HOUR_MS = 60 * 60 * 1000;

const STRING = { type: 'String' } as const;
const LONG = { type: 'Long' } as const;
const BOOLEAN = { type: 'Boolean' } as const;

/**
 * What every policy may read besides the call's arguments. The label is the run's (the loop) or the
 * user's (MCP); the time is the decision's, in UTC.
 */
export const CONTEXT_ATTRIBUTES = {
  /** The run the call belongs to (MCP: `mcp-<session>`). */
  runId: STRING,
  /** Whether untrusted content is in the run, and which tool brought it (`source`, absent when none did). */
  label: { type: 'Record', attributes: { untrusted: BOOLEAN, source: { ...STRING, required: false } } },
  /** When: `hour` 0-23 and `weekday` 0 (Sunday) to 6, in UTC; `date` as YYYY-MM-DD. */
  time: { type: 'Record', attributes: { hour: LONG, weekday: LONG, date: STRING } },
  /** Each yes an approver gave in the run so far (a quorum's votes one each), as `{ tool, by }`: read from the audit trail. */
  approvals: { type: 'Set', element: { type: 'Record', attributes: { tool: STRING, by: STRING } } },
  /** The user's calls of this tool in the last 60 minutes, across runs and MCP sessions (calls that reached the tool). */
  lastHour: { type: 'Record', attributes: { calls: LONG } },
} as const;

/**
 * The run so far (MCP: the session's calls, no tokens): each deployed tool's calls, the tokens
 * spent, and the dollars (`usd`, a decimal; absent where the deployment declares no prices).
 */
const runAttribute = (tools: readonly PolicyTool[]) => ({
  type: 'Record',
  attributes: {
    calls: { type: 'Record', attributes: Object.fromEntries(tools.map((tool) => [tool.name, LONG])) },
    tokens: LONG,
    usd: { type: 'Extension', name: 'decimal', required: false },
  },
});

/**
 * A tool as policies see it: its declaration, or its model-facing spec (name and JSON Schema, as
 * `GET /tools` answers it: what a replay against a running deployment has).
 */
export type PolicyTool = AnyTool | { readonly name: string; readonly inputSchema: Record<string, unknown> };

/** A tool's name and the JSON Schema of its arguments. */
const specOf = (tool: PolicyTool) => ('inputSchema' in tool ? tool : toolSpec(tool));

/** The Cedar type of a tool's arguments (an empty record where its schema is not one Cedar can type). */
export const argumentsTypeOf = (tool: PolicyTool): CedarType =>
  cedarTypeOf(specOf(tool).inputSchema as JsonSchema) ?? { type: 'Record', attributes: {} };

/**
 * The Cedar schema of a deployment's policies, generated from its tool declarations (never written
 * by hand): each tool is an action whose `context.arguments` its zod schema types; the principal is
 * the user (`groups`, and `tenant` where the deployment keeps tenants); the resource is the agent.
 */
export const policySchema = (tools: readonly PolicyTool[]) => ({
  [POLICY_NAMESPACE]: {
    entityTypes: {
      User: {
        shape: { type: 'Record', attributes: { groups: { type: 'Set', element: STRING }, tenant: { ...STRING, required: false } } },
      },
      Agent: {},
    },
    actions: Object.fromEntries(
      tools.map((tool) => [
        tool.name,
        {
          appliesTo: {
            principalTypes: ['User'],
            resourceTypes: ['Agent'],
            context: {
              type: 'Record',
              attributes: {
                ...CONTEXT_ATTRIBUTES,
                run: runAttribute(tools),
                arguments: argumentsTypeOf(tool),
              },
            },
          },
        },
      ]),
    ),
  },
});
