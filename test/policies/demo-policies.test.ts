import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { compilePolicies, type PolicyRequest, readPolicyFiles } from '#shared/policies/index.ts';
import { REPO_ROOT } from '../../infra/cdk-app.ts';

// The demo app's policies (policies/), one of each kind of rule, each decided as the loop and the
// tools decide it (test/infra/local/policies.test.ts runs them end to end).
const set = await compilePolicies(readPolicyFiles(join(REPO_ROOT, 'policies')), toolCatalog.tools);
const calls = Object.fromEntries(toolCatalog.tools.map((t) => [t.name, 0]));
const MONDAY_10 = new Date('2026-12-07T10:00:00Z');
const ask = (tool: string, args: unknown, over: Partial<PolicyRequest> = {}) =>
  set.decide({
    tool,
    arguments: args,
    userId: 'uma',
    groups: ['user'],
    runId: 'run-demo',
    untrusted: null,
    now: MONDAY_10,
    history: { calls, tokens: 0 },
    ...over,
  });
const email = (to: string) => ({ to, subject: 'Hello', body: 'Hi.' });

describe("the demo app's policies", () => {
  it('email leaves our domain only with approval', () => {
    expect(ask('send_email', email('jane@example.com')).effect).toBe('permit');
    expect(ask('send_email', email('jane@elsewhere.org'))).toMatchObject({ effect: 'approval', deciding: ['email-own-domain'] });
  });

  it('nothing destructive outside office hours', () => {
    const remove = (now: string) => ask('delete_document', { path: 'a.md' }, { now: new Date(now) });
    expect(remove('2026-12-07T10:00:00Z').effect).toBe('permit');
    expect(remove('2026-12-07T18:30:00Z')).toMatchObject({ effect: 'forbid', deciding: ['destructive-in-office-hours'] });
    expect(remove('2026-12-05T10:00:00Z').effect).toBe('forbid'); // a Saturday
    expect(ask('lookup_order', { orderId: 'ORD-104233' }, { now: new Date('2026-12-05T23:00:00Z') }).effect).toBe('permit');
  });

  it('at most three deletes per run, and no fetch_url once a customer record was read', () => {
    expect(ask('delete_document', { path: 'a.md' }, { history: { calls: { ...calls, delete_document: 2 }, tokens: 0 } }).effect).toBe(
      'permit',
    );
    expect(ask('delete_document', { path: 'a.md' }, { history: { calls: { ...calls, delete_document: 3 }, tokens: 0 } })).toMatchObject({
      effect: 'forbid',
      deciding: ['at-most-three-deletes'],
    });
    const fetch = (lookups: number) =>
      ask('fetch_url', { url: 'https://example.com/a' }, { history: { calls: { ...calls, lookup_order: lookups }, tokens: 0 } });
    expect(fetch(0).effect).toBe('permit');
    expect(fetch(1)).toMatchObject({ effect: 'forbid', deciding: ['no-fetch-after-customer-record'] });
  });

  it('a refund above 100 EUR needs two approvers', () => {
    const refund = (amountCents: number) => ask('refund_order', { orderId: 'ORD-104230', amountCents, reason: 'Late delivery.' });
    // Every refund waits for a person (refund_order is destructive); the policy adds nothing up to 100 EUR.
    expect(refund(10_000).effect).toBe('permit');
    expect(refund(10_001)).toMatchObject({
      effect: 'approval',
      deciding: ['refund-over-100-two-approvers'],
      quorum: 2,
    });
  });

  it('records the shadow rule without enforcing it', () => {
    const ticket = (groups: string[]) =>
      ask('create_ticket', { title: 'Down', description: 'The site is down.', priority: 'urgent' }, { groups });
    expect(ticket(['user'])).toMatchObject({ effect: 'permit', shadow: [{ id: 'urgent-tickets-by-operators', effect: 'approval' }] });
    expect(ticket(['operator'])).toMatchObject({ effect: 'permit', shadow: [] });
  });
});
