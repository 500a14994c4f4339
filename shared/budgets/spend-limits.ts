import * as z from 'zod/mini';

/**
 * Budgets over a window, per user and per tenant: model tokens, model cost and tool calls a
 * subject may spend in a UTC day or month, whatever runs it spends them in. Each (scope, subject,
 * window) is one counter item in the guard table, reserved before spending by a conditional write
 * (as the rate limits are), so concurrent runs cannot overspend it.
 */
export type SpendScope = 'user' | 'tenant';
/** The window a budget counts over: a UTC day or a UTC month. */
export type SpendWindow = 'day' | 'month';

/** What one subject may spend in one window; each cap optional. */
export interface SpendLimit {
  readonly scope: SpendScope;
  readonly window: SpendWindow;
  readonly toolCalls?: number;
  readonly tokens?: number;
  readonly usd?: number;
  /** Tell the alarm topic when spending crosses this share of a cap (0 to 1). @default no alarm */
  readonly alarmAt?: number;
}

/** Where a caller's tenant comes from: a Cognito group with this prefix (`tenant-acme`), or a token claim. */
export type TenantSource = { readonly groupPrefix: string } | { readonly claim: string };

/** A deployment's budgets over windows (GuardedAgent's `spendBudgets`). */
export interface SpendBudgets {
  readonly limits: readonly SpendLimit[];
  /** Needed when a limit has `scope: 'tenant'`. */
  readonly tenant?: TenantSource;
}

const cap = <T extends z.ZodMiniType>(schema: T) => z.optional(schema);

export const spendBudgetsSchema = z
  .strictObject({
    limits: z
      .array(
        z
          .strictObject({
            scope: z.enum(['user', 'tenant']),
            window: z.enum(['day', 'month']),
            toolCalls: cap(z.int().check(z.minimum(1), z.maximum(100_000_000))),
            tokens: cap(z.int().check(z.minimum(1), z.maximum(1_000_000_000_000))),
            usd: cap(z.number().check(z.positive(), z.maximum(100_000_000))),
            alarmAt: cap(z.number().check(z.positive(), z.maximum(1))),
          })
          .check(
            z.refine((l) => l.toolCalls !== undefined || l.tokens !== undefined || l.usd !== undefined, {
              message: 'a limit caps at least one of toolCalls, tokens, usd',
            }),
          ),
      )
      .check(z.minLength(1), z.maxLength(8)),
    tenant: z.optional(
      z.union([
        z.strictObject({ groupPrefix: z.string().check(z.minLength(1), z.maxLength(32)) }),
        z.strictObject({ claim: z.string().check(z.minLength(1), z.maxLength(64)) }),
      ]),
    ),
  })
  .check(
    z.refine((b) => b.tenant !== undefined || b.limits.every((l) => l.scope !== 'tenant'), {
      message: "a limit with scope 'tenant' needs `tenant` (a group prefix or a claim)",
    }),
  );

/** What one spending step takes: whole units, dollars as micro-dollars so that sums are exact. */
export interface SpendAmount {
  readonly toolCalls?: number;
  readonly tokens?: number;
  readonly usdMicros?: number;
}

export type SpendDimension = keyof SpendAmount;
export const SPEND_DIMENSIONS: readonly SpendDimension[] = ['toolCalls', 'tokens', 'usdMicros'];

export const toMicros = (usd: number): number => Math.round(usd * 1_000_000);

/** A limit's caps in the counter's units. */
export const capsOf = (limit: SpendLimit): SpendAmount => ({
  ...(limit.toolCalls === undefined ? {} : { toolCalls: limit.toolCalls }),
  ...(limit.tokens === undefined ? {} : { tokens: limit.tokens }),
  ...(limit.usd === undefined ? {} : { usdMicros: toMicros(limit.usd) }),
});

/** One counter: a subject's spending in one window, and the limit it is held to. */
export interface SpendCounter {
  readonly key: string;
  readonly limit: SpendLimit;
  readonly subject: string;
  /** The window's label: `2026-11-30` for a day, `2026-11` for a month (UTC). */
  readonly period: string;
  /** When the window ends: epoch ms. */
  readonly resetsAt: number;
}

/** The window containing `now` (epoch ms): its label and its end. */
export const windowOf = (window: SpendWindow, now: number): { readonly period: string; readonly resetsAt: number } => {
  const at = new Date(now);
  const iso = at.toISOString();
  return window === 'day'
    ? { period: iso.slice(0, 10), resetsAt: Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1) }
    : { period: iso.slice(0, 7), resetsAt: Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1) };
};

/** Who spends: the run's owner and, where budgets are per tenant, its tenant. */
export interface Spender {
  readonly user: string;
  readonly tenant?: string;
}

/**
 * The counters a spender's spending is held to now, one per declared limit. A tenant limit with
 * no tenant cannot be kept: the API refuses such callers before a run starts (see `tenantOf`).
 *
 * @example
 * countersFor({ limits: [{ scope: 'user', window: 'day', toolCalls: 100 }] }, { user: 'uma' }, Date.UTC(2026, 10, 30));
 * // [{ key: 'spend#user#uma#2026-11-30', subject: 'uma', period: '2026-11-30', ... }]
 */
export const countersFor = (budgets: SpendBudgets, spender: Spender, now: number): SpendCounter[] =>
  budgets.limits.flatMap((limit) => {
    const subject = limit.scope === 'user' ? spender.user : spender.tenant;
    if (subject === undefined) return [];
    const { period, resetsAt } = windowOf(limit.window, now);
    return [{ key: `spend#${limit.scope}#${subject}#${period}`, limit, subject, period, resetsAt }];
  });

/**
 * The caller's tenant under the deployment's declaration: the first group with the prefix (less
 * the prefix), or the claim's value. Undefined when the token names none.
 */
export const tenantOf = (
  source: TenantSource | undefined,
  caller: { readonly groups: readonly string[]; readonly claims?: Readonly<Record<string, string>> },
): string | undefined => {
  if (!source) return undefined;
  if ('groupPrefix' in source) {
    const group = caller.groups.find((g) => g.startsWith(source.groupPrefix) && g.length > source.groupPrefix.length);
    return group?.slice(source.groupPrefix.length);
  }
  const value = caller.claims?.[source.claim];
  return value === undefined || value === '' ? undefined : value;
};

/** Whether budgets are kept per tenant, so that a caller without a tenant cannot start a run. */
export const needsTenant = (budgets: SpendBudgets | undefined): boolean => budgets?.limits.some((l) => l.scope === 'tenant') ?? false;
