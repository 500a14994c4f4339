import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { approvalRequestBlocks } from '#shared/approval/slack-message.ts';
import { SlackNotifier } from '#shared/approval/slack-notifier.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/slack', name), 'utf8');
const notice = {
  approvalId: 'run-1.c1-1',
  tool: 'send_email',
  summary: '{"to":"jane@example.com","subject":"<!channel> hi"}',
  requestedBy: 'adam',
  runId: 'run-1',
  expiresAt: 1_800_000_000,
};

describe('approval message', () => {
  it('has approve and deny buttons that carry only the approval id', () => {
    const actions = approvalRequestBlocks(notice).find((b) => b.type === 'actions') as {
      elements: Array<{ action_id: string; value: string }>;
    };
    expect(actions.elements.map((e) => [e.action_id, e.value])).toEqual([
      ['approve', 'run-1.c1-1'],
      ['deny', 'run-1.c1-1'],
    ]);
  });
  it('says what the call will do, and why it waits when that is not for being destructive', () => {
    const text = JSON.stringify(
      approvalRequestBlocks({ ...notice, effect: { risk: 'destructive', reversible: false }, why: 'Untrusted content entered this run.' }),
    );
    expect(text).toContain('Risk: destructive; *cannot be undone*');
    expect(text).toContain('Untrusted content entered this run.');
    expect(JSON.stringify(approvalRequestBlocks({ ...notice, effect: { risk: 'read', reversible: true } }))).toContain(
      'Risk: read; can be undone',
    );
  });
  it('escapes what the model wrote, so it cannot ping a channel or forge a link', () => {
    const text = JSON.stringify(approvalRequestBlocks(notice));
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&lt;!channel&gt;');
  });
});

describe('SlackNotifier', () => {
  it('posts with the bot token and returns where the message went', async () => {
    const seen: Array<{ url: string; init: RequestInit }> = [];
    const notifier = new SlackNotifier({
      botToken: 'xoxb-test',
      channel: 'C123ABC456',
      fetch: (async (url: string, init: RequestInit) => (
        seen.push({ url, init }),
        new Response(fixture('chat-postMessage-ok.json'))
      )) as typeof fetch,
    });
    expect(await notifier.postRequest(notice)).toEqual({ channel: 'C123ABC456', ts: '1503435956.000247' });
    expect(seen[0]?.url).toBe('https://slack.com/api/chat.postMessage');
    expect(new Headers(seen[0]?.init.headers).get('authorization')).toBe('Bearer xoxb-test');
    expect(String(seen[0]?.init.body)).not.toContain('xoxb-test');
  });
  it("reports Slack's error code, and nothing of the request", async () => {
    const notifier = new SlackNotifier({
      botToken: 'xoxb-test',
      channel: 'C0',
      fetch: (async () => new Response(fixture('chat-postMessage-error.json'))) as unknown as typeof fetch,
    });
    await expect(notifier.postRequest(notice)).rejects.toThrow('Slack chat.postMessage failed: channel_not_found');
  });
});
