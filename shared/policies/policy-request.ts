import type { RunHistory, UntrustedSource } from '../tool/index.ts';
import type { CedarType } from './policy-schema.ts';

/** Who asks for which call, in which run, when: what a policy decides on. */
export interface PolicyRequest {
  readonly tool: string;
  readonly arguments: unknown;
  readonly userId: string;
  readonly groups: readonly string[];
  readonly tenant?: string;
  readonly runId: string;
  /** The run's label (the loop) or the user's (MCP). */
  readonly untrusted: UntrustedSource | null | undefined;
  readonly now: Date;
  /** The run's history as the loop counted it (`context.run`, and where policies read them `approvals` and `lastHour`). Absent: a policy that reads it refuses (fails closed). */
  readonly history?: RunHistory;
}

/** A value that does not fit its Cedar type: the request cannot be built, and the call fails closed. */
export class PolicyContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyContextError';
  }
}

type CedarValue = string | number | boolean | CedarValue[] | { [key: string]: CedarValue };

const DECIMAL: CedarType = { type: 'Extension', name: 'decimal' };

/** Cedar's decimal: at most 4 digits after the point, within a 64-bit range. */
const MAX_DECIMAL = 922_337_203_685_477;

/** An argument's value as Cedar's JSON takes it, by the type the schema gave it (a decimal as its extension call). */
export const cedarValueOf = (value: unknown, type: CedarType, path = 'arguments'): CedarValue => {
  switch (type.type) {
    case 'String':
      if (typeof value === 'string') return value;
      break;
    case 'Long':
      if (Number.isSafeInteger(value)) return value as number;
      break;
    case 'Boolean':
      if (typeof value === 'boolean') return value;
      break;
    case 'Extension':
      if (typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < MAX_DECIMAL)
        return { __extn: { fn: 'decimal', arg: value.toFixed(4) } } as unknown as CedarValue;
      break;
    case 'Set':
      if (Array.isArray(value)) return value.map((item, i) => cedarValueOf(item, type.element, `${path}[${i}]`));
      break;
    case 'Record':
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const record: Record<string, CedarValue> = {};
        for (const [name, attribute] of Object.entries(type.attributes)) {
          const item = (value as Record<string, unknown>)[name];
          if (item !== undefined) record[name] = cedarValueOf(item, attribute, `${path}.${name}`);
        }
        return record;
      }
      break;
  }
  throw new PolicyContextError(`${path} does not fit its policy type (${type.type})`);
};

/** Each attribute of the context a policy may read: the call's arguments, the run, its label and the time (UTC). */
const ATTRIBUTES: Readonly<Record<string, (request: PolicyRequest, argumentsType: CedarType) => CedarValue | undefined>> = {
  runId: (request) => request.runId,
  label: (request) => ({ untrusted: Boolean(request.untrusted), ...(request.untrusted?.tool ? { source: request.untrusted.tool } : {}) }),
  time: (request) => ({
    hour: request.now.getUTCHours(),
    weekday: request.now.getUTCDay(),
    date: request.now.toISOString().slice(0, 10),
  }),
  arguments: (request, argumentsType) => cedarValueOf(request.arguments ?? {}, argumentsType),
  run: ({ history }) =>
    history
      ? {
          calls: { ...history.calls },
          tokens: history.tokens,
          ...(history.usd === undefined ? {} : { usd: cedarValueOf(history.usd, DECIMAL, 'run.usd') }),
        }
      : undefined,
  // Absent when the request has none: a policy that reads them fails closed.
  approvals: ({ history }) => history?.approvals?.map(({ tool, by }) => ({ tool, by })),
  lastHour: ({ history }) => (history?.lastHour === undefined ? undefined : { calls: history.lastHour }),
};

/** The context, with the attributes the policies that apply read (`all`: every one). */
export const contextOf = (
  request: PolicyRequest,
  argumentsType: CedarType,
  read: 'all' | readonly string[] = 'all',
): Record<string, CedarValue> =>
  Object.fromEntries(
    Object.entries(ATTRIBUTES)
      .filter(([name]) => read === 'all' || read.includes(name))
      .flatMap(([name, value]) => {
        const built = value(request, argumentsType);
        return built === undefined ? [] : [[name, built]];
      }),
  );
