import { describe, expect, it } from 'vitest';
import { approvalRequestBlocks, approvalView, describeShown } from '#shared/approval/index.ts';

describe('approvalView', () => {
  it('shows every argument in full: no string cut, no item left out, and says when the short form cuts', () => {
    const long = 'a'.repeat(5000);
    const many = Array.from({ length: 80 }, (_, i) => i);
    expect(approvalView({ body: long, items: many })).toMatchObject({ arguments: { body: long, items: many }, shortened: true });
    expect(approvalView({ body: 'short' })).toMatchObject({ arguments: { body: 'short' }, shortened: false });
  });

  it('masks secrets and says where and what they are, by shape and by key', () => {
    const view = approvalView({ note: 'use AKIAIOSFODNN7EXAMPLE', headers: { authorization: 'Bearer abc' } });
    expect(JSON.stringify(view)).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(view.secrets).toEqual([
      { argument: 'note', kind: 'aws-access-key' },
      { argument: 'headers.authorization', kind: 'named-secret' },
    ]);
  });

  it('lists each recipient and URL with its host, wherever in the arguments it hides', () => {
    expect(
      describeShown({
        to: 'Jane@Example.COM',
        cc: ['bob@corp.example'],
        body: 'see https://evil.example/x?d=1 and mail me at eve@evil.example. Thanks',
      }).destinations,
    ).toEqual([
      { kind: 'email', value: 'Jane@Example.COM', host: 'example.com', argument: 'to' },
      { kind: 'email', value: 'bob@corp.example', host: 'corp.example', argument: 'cc[0]' },
      { kind: 'url', value: 'https://evil.example/x?d=1', host: 'evil.example', argument: 'body' },
      { kind: 'email', value: 'eve@evil.example', host: 'evil.example', argument: 'body' },
    ]);
    expect(describeShown({ n: 3, ok: true }).destinations).toEqual([]);
  });
});

describe('approvalRequestBlocks (Slack)', () => {
  const notice = { approvalId: 'r.c1', tool: 'send_email', summary: '{}', requestedBy: 'adam', runId: 'r', expiresAt: 1_800_000_000 };
  it('says plainly when the message cannot hold the arguments, and where to read them in full', () => {
    const text = JSON.stringify(approvalRequestBlocks({ ...notice, shortened: true }));
    expect(text).toContain('longer than this message can show');
    expect(text).toContain('GET /approvals/r.c1');
    expect(JSON.stringify(approvalRequestBlocks(notice))).not.toContain('longer than this message');
  });
  it('lists each destination on a line of its own, escaped', () => {
    const blocks = approvalRequestBlocks({
      ...notice,
      destinations: [{ kind: 'url', value: 'https://evil.example/<x>', host: 'evil.example', argument: 'body' }],
    });
    const text = JSON.stringify(blocks);
    expect(text).toContain('*Sends to:*\\n• url `https://evil.example/&lt;x&gt;` (host *evil.example*, in `body`)');
  });
});
