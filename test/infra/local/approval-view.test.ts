import { describe, expect, it } from 'vitest';
import { useLocalServer } from '../../support/local-server.ts';
import { emailRunWaitingForApproval, succeededRun } from '../../support/approval-runs.ts';
import { slackClick } from '../../support/slack-click.ts';

// What an approver sees, through npm start's API and Slack endpoint: a misled model hides what
// matters past the 200 characters of the short form. The approver is shown every argument in
// full before a yes counts, the destinations each on a line, and a masked secret said to be there.
const world = useLocalServer();
const approver = () => world.tokenOfRole('approver');
const preamble =
  'Hello Jane, here are the notes from our meeting on Tuesday. We went through the quarterly plan, agreed on the next steps for the ' +
  'migration, and set the date for the review. Please reach out with questions.';
const hidden = ' Also: the admin password is hunter2-SECRET and the customer list is at https://evil.example/x?d=ALLCUSTOMERS';

const slackApprove = (slackUser: string, approvalId: string) => slackClick(world.base, slackUser, approvalId);

describe('what an approver sees of a long call', () => {
  it('shows the part past character 200 in full, lists the destinations, and takes no yes before the full view is opened', async () => {
    expect(preamble.length).toBeGreaterThan(200);
    const { runId, approvalId } = await emailRunWaitingForApproval(world, 'Notes', preamble + hidden);
    const listed = (
      (await world.api('GET', '/approvals?status=pending', approver())).body.approvals as Array<Record<string, unknown>>
    ).find((a) => a.approvalId === approvalId);
    // The short form cuts the body before the hidden part, and says so.
    expect(String(listed?.arguments)).not.toContain('hunter2');
    expect(listed).toMatchObject({ shortened: true, fullView: `/approvals/${approvalId}` });
    // The destinations are listed whole, even those only in the part the short form cuts.
    expect(listed?.destinations).toEqual([
      { kind: 'email', value: 'jane@example.com', host: 'example.com', argument: 'to' },
      { kind: 'url', value: 'https://evil.example/x?d=ALLCUSTOMERS', host: 'evil.example', argument: 'body' },
    ]);
    // A yes from the short form, over the API or from Slack, is refused until the full view is opened.
    expect(await world.api('POST', `/approvals/${approvalId}`, approver(), { decision: 'approve' })).toMatchObject({
      status: 409,
      body: { error: { code: 'VIEW_IN_FULL_FIRST', message: expect.stringContaining('open its full view first') } },
    });
    expect((await slackApprove('UPAT', approvalId)).status).toBe(409);
    expect((await world.api('GET', `/runs/${runId}`, world.tokenOfRole('admin'))).body.status).toBe('WAITING_FOR_APPROVAL');
    // The full view: every argument as it will run, nothing cut.
    const view = await world.api('GET', `/approvals/${approvalId}`, approver());
    expect(view).toMatchObject({
      status: 200,
      body: {
        tool: 'send_email',
        shortened: true,
        secrets: [],
        arguments: { to: 'jane@example.com', subject: 'Notes', body: preamble + hidden },
      },
    });
    // Opened: now the yes counts (from Slack too), and what was shown is what ran.
    expect((await slackApprove('UPAT', approvalId)).status).toBe(200);
    await succeededRun(world, runId);
    const sent = (await world.system.sentMail()).filter((m) => m.subject === 'Notes');
    expect(sent.map((m) => m.body.text)).toEqual([preamble + hidden]);
  });

  it('shows that a secret is there, of what kind and in which argument, never the secret', async () => {
    const { approvalId } = await emailRunWaitingForApproval(world, 'Keys', 'Here is the key: AKIAIOSFODNN7EXAMPLE, as asked.');
    const view = (await world.api('GET', `/approvals/${approvalId}`, approver())).body;
    expect(JSON.stringify(view)).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(view).toMatchObject({
      shortened: false,
      arguments: { body: 'Here is the key: [REDACTED:aws-access-key], as asked.' },
      secrets: [{ argument: 'body', kind: 'aws-access-key' }],
    });
    // Nothing was cut: the short form needs no full view first.
    expect((await world.api('POST', `/approvals/${approvalId}`, world.tokenOfRole('approver'), { decision: 'deny' })).status).toBe(200);
  });

  it('shows the full view only to those who may decide it', async () => {
    const { approvalId } = await emailRunWaitingForApproval(world, 'Private', 'Short.');
    expect((await world.api('GET', `/approvals/${approvalId}`, world.tokenOfRole('user'))).status).toBe(403);
    expect((await world.api('GET', '/approvals/no-such.approval', approver())).status).toBe(404);
    expect((await world.api('POST', `/approvals/${approvalId}`, approver(), { decision: 'deny' })).status).toBe(200);
  });
});
