import type { Destination } from './approval-view.ts';

/** What the approver sees. The buttons carry the approval id only: never a token, a URL or the arguments. */
export interface ApprovalNotice {
  readonly approvalId: string;
  readonly tool: string;
  /** Redacted arguments. */
  readonly summary: string;
  /** Why it needs approval, when not for being destructive. */
  readonly why?: string;
  /** What the call will do: its risk class and whether it can be undone. */
  readonly effect?: { readonly risk: string; readonly reversible: boolean };
  readonly requestedBy: string;
  readonly runId: string;
  /** Epoch seconds. */
  readonly expiresAt: number;
  /** Every recipient, URL and host in the arguments: each on its own line, so none hides inside prose. */
  readonly destinations?: readonly Destination[];
  /** The summary leaves something out: the message says so, and a yes from it is refused until the full view is opened. */
  readonly shortened?: boolean;
}

const MAX_DESTINATIONS = 30;

/** The destinations, one a line; past the limit, how many more (the full view lists them all). */
const destinationLines = (destinations: readonly Destination[]) =>
  [
    '*Sends to:*',
    ...destinations
      .slice(0, MAX_DESTINATIONS)
      .map((d) => `• ${d.kind} \`${escape(d.value)}\` (host *${escape(d.host)}*, in \`${escape(d.argument)}\`)`),
    ...(destinations.length > MAX_DESTINATIONS ? [`…and ${destinations.length - MAX_DESTINATIONS} more: see the full view.`] : []),
  ].join('\n');

// Slack mrkdwn treats <, > and & as markup: escaped, a crafted argument cannot ping a channel or hide a link.
const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** What the call will do, in one line: its risk class and whether it can be undone. */
export const effectLine = (effect: { readonly risk: string; readonly reversible: boolean }) =>
  `Risk: ${effect.risk}; ${effect.reversible ? 'can be undone' : '*cannot be undone*'}`;

/** The Block Kit message asking for a decision. */
export const approvalRequestBlocks = (notice: ApprovalNotice) => [
  {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: `*${escape(notice.tool)}* needs an approval\nRequested by *${escape(notice.requestedBy)}* in run \`${escape(notice.runId)}\`${notice.effect ? `\n${effectLine(notice.effect)}` : ''}`,
    },
  },
  ...(notice.why ? [{ type: 'section', text: { type: 'mrkdwn', text: `:warning: ${cut(escape(notice.why), 500)}` } }] : []),
  { type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${cut(escape(notice.summary), 2500)}\`\`\`` } },
  ...(notice.destinations?.length
    ? [{ type: 'section', text: { type: 'mrkdwn', text: cut(destinationLines(notice.destinations), 2900) } }]
    : []),
  ...(notice.shortened
    ? [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: `:warning: *Some arguments are longer than this message can show.* Read them in full before approving: \`GET /approvals/${escape(notice.approvalId)}\` or the console. Approve here counts only once you have opened the full view.`,
          },
        },
      ]
    : []),
  {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Expires <!date^${notice.expiresAt}^{date_short_pretty} {time}|at ${new Date(notice.expiresAt * 1000).toISOString()}>`,
      },
    ],
  },
  {
    type: 'actions',
    block_id: 'decision',
    elements: [
      { type: 'button', action_id: 'approve', value: notice.approvalId, style: 'primary', text: { type: 'plain_text', text: 'Approve' } },
      {
        type: 'button',
        action_id: 'deny',
        value: notice.approvalId,
        style: 'danger',
        text: { type: 'plain_text', text: 'Deny' },
        confirm: {
          title: { type: 'plain_text', text: 'Deny this call?' },
          text: { type: 'plain_text', text: 'The agent is told it was denied.' },
          confirm: { type: 'plain_text', text: 'Deny' },
          deny: { type: 'plain_text', text: 'Back' },
        },
      },
    ],
  },
];

/** The same message once decided or expired: the buttons are gone. */
export const approvalOutcomeBlocks = (notice: Pick<ApprovalNotice, 'tool' | 'runId'>, outcome: string) => [
  { type: 'section', text: { type: 'mrkdwn', text: `*${escape(notice.tool)}* in run \`${escape(notice.runId)}\`: ${escape(outcome)}` } },
];
