import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { boundedText } from '#shared/argument-types/index.ts';
import { defaultBreaker, defineTool, limitPresets } from '#shared/tool/index.ts';
import { compilePolicies, PolicyFileError, type PolicyRequest } from '#shared/policies/index.ts';

const refund = defineTool({
  name: 'refund_order',
  description: 'Refund part or all of an order to the card it was paid with. Returns the refund id.',
  input: z.strictObject({
    orderId: boundedText({ description: 'The order, such as ORD-104233. Max 20 characters.', max: 20 }),
    amount: z.number().check(z.positive(), z.maximum(100_000)),
    currency: z.enum(['EUR', 'USD']),
    items: z.optional(z.array(z.int().check(z.minimum(1), z.maximum(99)))),
  }),
  risk: 'write',
  limits: limitPresets.write,
  timeoutMs: 1000,
  breaker: defaultBreaker,
  handler: async () => ({ refundId: 'r-1' }),
});
const tools = [...toolCatalog.tools, refund];

const request = (over: Partial<PolicyRequest> = {}): PolicyRequest => ({
  tool: 'refund_order',
  arguments: { orderId: 'ORD-104233', amount: 150.5, currency: 'EUR' },
  userId: 'alice',
  groups: ['user'],
  runId: 'run-1',
  untrusted: null,
  now: new Date('2026-12-07T10:00:00Z'),
  ...over,
});

const RULES = `// Rules a team writes down.
@id("refund-two-approvers")
@approval("2")
forbid (principal, action == GuardedAgents::Action::"refund_order", resource)
when { context.arguments.amount.greaterThan(decimal("100.0")) };

@id("email-own-domain")
@approval
forbid (principal, action == GuardedAgents::Action::"send_email", resource)
unless { context.arguments.to like "*@example.com" };

@id("no-fetch-after-untrusted")
forbid (principal, action == GuardedAgents::Action::"fetch_url", resource)
when { context.label.untrusted };

@id("office-hours")
forbid (principal, action in [GuardedAgents::Action::"delete_document", GuardedAgents::Action::"publish_announcement"], resource)
when { context.time.hour < 8 || context.time.hour >= 18 || context.time.weekday == 0 || context.time.weekday == 6 };
`;

describe('Cedar policies on tool calls', () => {
  it('decides each kind of rule: approval with a quorum, approval unless an allowed value, forbid by label, forbid by time', async () => {
    const set = await compilePolicies([{ file: 'policies/rules.cedar', text: RULES }], tools);
    expect(set.decide(request())).toMatchObject({ effect: 'approval', deciding: ['refund-two-approvers'], quorum: 2 });
    expect(set.decide(request({ arguments: { orderId: 'ORD-1', amount: 99.99, currency: 'EUR' } }))).toMatchObject({ effect: 'permit' });
    const email = (to: string) => request({ tool: 'send_email', arguments: { to, subject: 's', body: 'b' } });
    expect(set.decide(email('jane@example.com')).effect).toBe('permit');
    expect(set.decide(email('jane@elsewhere.org'))).toMatchObject({ effect: 'approval', deciding: ['email-own-domain'], quorum: 1 });
    const fetch = (untrusted: PolicyRequest['untrusted']) =>
      request({ tool: 'fetch_url', arguments: { url: 'https://example.com' }, untrusted });
    expect(set.decide(fetch(null)).effect).toBe('permit');
    expect(set.decide(fetch({ tool: 'read_document', callId: 'c1' }))).toMatchObject({
      effect: 'forbid',
      deciding: ['no-fetch-after-untrusted'],
    });
    const remove = (now: string) => request({ tool: 'delete_document', arguments: { path: 'a.md' }, now: new Date(now) });
    expect(set.decide(remove('2026-12-07T10:00:00Z')).effect).toBe('permit'); // a Monday
    expect(set.decide(remove('2026-12-07T19:00:00Z')).effect).toBe('forbid');
    expect(set.decide(remove('2026-12-06T10:00:00Z')).effect).toBe('forbid'); // a Sunday
    expect(set.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lets a forbid win over an approval, and records a shadow policy without enforcing it', async () => {
    const set = await compilePolicies(
      [
        { file: 'a.cedar', text: RULES },
        {
          file: 'b.cedar',
          text: `@id("refunds-in-usd-only-shadow")
@mode("shadow")
forbid (principal, action == GuardedAgents::Action::"refund_order", resource) unless { context.arguments.currency == "USD" };

@id("no-refunds-for-guests")
forbid (principal, action == GuardedAgents::Action::"refund_order", resource) unless { principal.groups.contains("user") };
`,
        },
      ],
      tools,
    );
    expect(set.decide(request())).toEqual({
      effect: 'approval',
      deciding: ['refund-two-approvers'],
      quorum: 2,
      shadow: [{ id: 'refunds-in-usd-only-shadow', effect: 'forbid' }],
      hash: set.hash,
    });
    expect(set.decide(request({ groups: ['guest'] }))).toMatchObject({ effect: 'forbid', deciding: ['no-refunds-for-guests'] });
  });

  it('types the arguments from the zod schema: optional ones with has, sets of whole numbers', async () => {
    const set = await compilePolicies(
      [
        {
          file: 'items.cedar',
          text: `forbid (principal, action == GuardedAgents::Action::"refund_order", resource)
when { context.arguments has items && context.arguments.items.contains(13) };`,
        },
      ],
      tools,
    );
    expect(set.decide(request()).effect).toBe('permit');
    expect(set.decide(request({ arguments: { orderId: 'O', amount: 1, currency: 'EUR', items: [1, 13] } }))).toMatchObject({
      effect: 'forbid',
      deciding: ['items.cedar:1'],
    });
  });

  it('fails closed when the request cannot be built', async () => {
    const set = await compilePolicies([{ file: 'a.cedar', text: RULES }], tools);
    const decision = set.decide(request({ arguments: { orderId: 'O', amount: 'lots', currency: 'EUR' } }));
    expect(decision).toMatchObject({ effect: 'forbid', deciding: [] });
    expect(decision.error).toContain('arguments.amount');
    expect(set.decide(request({ tool: 'not_deployed' })).effect).toBe('forbid');
  });

  it('names the file and line of a policy that does not parse or does not fit the tools', async () => {
    const fails = async (text: string) => {
      try {
        await compilePolicies([{ file: 'policies/team.cedar', text }], tools);
      } catch (error) {
        expect(error).toBeInstanceOf(PolicyFileError);
        return (error as Error).message;
      }
      throw new Error('compiled');
    };
    expect(await fails('// one\n\nforbid (principal, action, resource)\nwhen { context.time.hour < };')).toMatch(
      /^policies\/team\.cedar:4: /,
    );
    expect(
      await fails(
        '@id("x")\nforbid (principal, action, resource);\n\nforbid (principal, action == GuardedAgents::Action::"refund_order", resource)\nwhen { context.arguments.amont.greaterThan(decimal("1.0")) };',
      ),
    ).toMatch(/^policies\/team\.cedar:5: .*amont/);
    expect(await fails('forbid (principal, action == GuardedAgents::Action::"wire_money", resource);')).toMatch(
      /^policies\/team\.cedar:1: .*wire_money/,
    );
    expect(await fails('permit (principal, action, resource);')).toMatch(/permit policies have no effect/);
    expect(await fails('@aproval\nforbid (principal, action, resource);')).toMatch(/unknown annotation @aproval/);
    expect(await fails('@mode("off")\nforbid (principal, action, resource);')).toMatch(/@mode must be/);
    expect(await fails('@approval("many")\nforbid (principal, action, resource);')).toMatch(/quorum from 1 to 5/);
    expect(await fails('@id("a")\nforbid (principal, action, resource);\n@id("a")\nforbid (principal, action, resource);')).toMatch(
      /:3: policy id "a" is used twice/,
    );
  });
});

describe('what a policy reads (a decision sends Cedar only that)', () => {
  const readsOf = async (text: string) => {
    const set = await compilePolicies([{ file: 'r.cedar', text }], tools);
    return [...set.policies.values()][0]?.reads;
  };

  it('finds the context attributes and the principal a policy reads, and reads everything when it cannot tell', async () => {
    expect(await readsOf('forbid (principal, action, resource) when { context.arguments has items && context.time.hour < 8 };')).toEqual({
      context: ['arguments', 'time'],
      principal: false,
    });
    expect(await readsOf('forbid (principal, action, resource) when { principal.groups.contains("guest") };')).toEqual({
      context: [],
      principal: true,
    });
    expect(await readsOf('forbid (principal, action, resource) when { context has label };')).toEqual({
      context: ['label'],
      principal: false,
    });
    expect(
      await readsOf('forbid (principal, action == GuardedAgents::Action::"fetch_url", resource) when { context == context };'),
    ).toMatchObject({ context: 'all' });
  });

  it('decides the same with the attributes left out that no policy of the tool reads', async () => {
    const set = await compilePolicies(
      [
        {
          file: 'mixed.cedar',
          text: `forbid (principal, action == GuardedAgents::Action::"refund_order", resource) when { context.label.untrusted };
forbid (principal, action == GuardedAgents::Action::"fetch_url", resource) when { principal.groups.contains("guest") && context.time.weekday == 0 };`,
        },
      ],
      tools,
    );
    expect(set.decide(request({ untrusted: { tool: 'read_document', callId: 'c1' } })).effect).toBe('forbid');
    expect(set.decide(request()).effect).toBe('permit');
    const fetch = (groups: string[], now: string) =>
      request({ tool: 'fetch_url', arguments: { url: 'https://example.com' }, groups, now: new Date(now) });
    expect(set.decide(fetch(['guest'], '2026-12-06T10:00:00Z')).effect).toBe('forbid');
    expect(set.decide(fetch(['user'], '2026-12-06T10:00:00Z')).effect).toBe('permit');
    expect(set.decide(fetch(['guest'], '2026-12-07T10:00:00Z')).effect).toBe('permit');
  });
});

describe("the run's history in the context", () => {
  const COUNTS = `@id("three-refunds")
forbid (principal, action == GuardedAgents::Action::"refund_order", resource) when { context.run.calls.refund_order >= 3 };

@id("no-fetch-after-lookup")
forbid (principal, action == GuardedAgents::Action::"fetch_url", resource) when { context.run.calls.lookup_order > 0 || context.run.tokens > 10000 };`;

  it('decides on the calls so far and the tokens spent, and refuses when no history was given (fails closed)', async () => {
    const set = await compilePolicies([{ file: 'counts.cedar', text: COUNTS }], tools);
    const calls = Object.fromEntries(tools.map((t) => [t.name, 0]));
    expect(set.decide(request({ history: { calls: { ...calls, refund_order: 2 }, tokens: 0 } })).effect).toBe('permit');
    expect(set.decide(request({ history: { calls: { ...calls, refund_order: 3 }, tokens: 0 } }))).toMatchObject({
      effect: 'forbid',
      deciding: ['three-refunds'],
    });
    const fetch = (history?: PolicyRequest['history']) =>
      request({ tool: 'fetch_url', arguments: { url: 'https://example.com' }, ...(history ? { history } : {}) });
    expect(set.decide(fetch({ calls, tokens: 50 })).effect).toBe('permit');
    expect(set.decide(fetch({ calls: { ...calls, lookup_order: 1 }, tokens: 50 })).effect).toBe('forbid');
    expect(set.decide(fetch({ calls, tokens: 20_000 })).effect).toBe('forbid');
    // Over MCP there is no run: a policy that reads it refuses rather than guess.
    expect(set.decide(fetch()).effect).toBe('forbid');
    expect(set.readsContext('fetch_url', 'run')).toBe(true);
    expect(set.readsContext('lookup_order', 'run')).toBe(false);
  });
});

describe('what came before, beyond the run: approvals given, the last hour, the dollars spent', () => {
  const BEFORE = `@id("refund-after-finance")
forbid (principal, action == GuardedAgents::Action::"refund_order", resource)
unless { context.approvals.contains({ tool: "refund_order", by: "fiona" }) };

@id("ten-fetches-an-hour")
forbid (principal, action == GuardedAgents::Action::"fetch_url", resource) when { context.lastHour.calls >= 10 };

@id("lookups-under-a-dollar")
forbid (principal, action == GuardedAgents::Action::"lookup_order", resource)
when { context.run has usd && context.run.usd.greaterThan(decimal("1.00")) };`;
  const calls = Object.fromEntries(tools.map((t) => [t.name, 0]));

  it('validates them against the generated schema and decides on them', async () => {
    const set = await compilePolicies([{ file: 'before.cedar', text: BEFORE }], tools);
    const refund = (approvals?: Array<{ tool: string; by: string }>) =>
      request({ history: { calls, tokens: 0, ...(approvals ? { approvals } : {}) } });
    expect(set.decide(refund([{ tool: 'refund_order', by: 'fiona' }])).effect).toBe('permit');
    // Another approver, or fiona on another tool, is not what the rule asks for.
    expect(
      set.decide(
        refund([
          { tool: 'refund_order', by: 'bob' },
          { tool: 'fetch_url', by: 'fiona' },
        ]),
      ).effect,
    ).toBe('forbid');
    // Not read (or not readable): the rule cannot be checked, so the call is refused.
    expect(set.decide(refund()).error).toMatch(/approvals/);
    const fetch = (lastHour?: number) =>
      request({
        tool: 'fetch_url',
        arguments: { url: 'https://example.com' },
        history: { calls, tokens: 0, ...(lastHour === undefined ? {} : { lastHour }) },
      });
    expect(set.decide(fetch(9)).effect).toBe('permit');
    expect(set.decide(fetch(10))).toMatchObject({ effect: 'forbid', deciding: ['ten-fetches-an-hour'] });
    expect(set.decide(fetch()).effect).toBe('forbid');
    const lookup = (usd?: number) =>
      request({
        tool: 'lookup_order',
        arguments: { orderId: 'ORD-1' },
        history: { calls, tokens: 9, ...(usd === undefined ? {} : { usd }) },
      });
    expect(set.decide(lookup(0.99)).effect).toBe('permit');
    expect(set.decide(lookup(1.0001)).effect).toBe('forbid');
    // No prices declared: no dollars, and the rule written with `has` lets the call through.
    expect(set.decide(lookup()).effect).toBe('permit');
    expect(
      ['refund_order', 'fetch_url', 'lookup_order'].map((t) => [set.readsContext(t, 'approvals'), set.readsContext(t, 'lastHour')]),
    ).toEqual([
      [true, false],
      [false, true],
      [false, false],
    ]);
  });

  it('fails validation, with file and line, where a policy reads them wrongly typed', async () => {
    await expect(
      compilePolicies(
        [
          {
            file: 'wrong.cedar',
            text: '\n@id("x")\nforbid (principal, action == GuardedAgents::Action::"fetch_url", resource) when { context.lastHour.calls == "ten" };',
          },
        ],
        tools,
      ),
    ).rejects.toThrow(/wrong\.cedar:3/);
  });
});
