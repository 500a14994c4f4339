import { createHmac } from 'node:crypto';

/**
 * A Slack button click as the local system's `/slack/interactions` takes it: signed with the local
 * signing secret, from a Slack user (locally `U` + a local user's id in capitals).
 */
export const slackClick = async (base: string, slackUser: string, approvalId: string, action: 'approve' | 'deny' = 'approve') => {
  const body = `payload=${encodeURIComponent(
    JSON.stringify({ type: 'block_actions', user: { id: slackUser }, actions: [{ action_id: action, value: approvalId }] }),
  )}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', 'local-slack-signing-secret').update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const response = await fetch(`${base}/slack/interactions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
    },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
