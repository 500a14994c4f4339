import { approvalOutcomeBlocks, approvalRequestBlocks, type ApprovalNotice } from './slack-message.ts';

export interface SlackNotifierOptions {
  /** xoxb- bot token with chat:write. Sent only to Slack, never logged. */
  readonly botToken: string;
  readonly channel: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default https://slack.com/api */
  readonly apiBase?: string;
}

export interface PostedMessage {
  readonly channel: string;
  readonly ts: string;
}

/** Posts approval requests to a channel and rewrites them once decided (Slack Web API). */
export class SlackNotifier {
  readonly #options: SlackNotifierOptions;

  constructor(options: SlackNotifierOptions) {
    this.#options = options;
  }

  async postRequest(notice: ApprovalNotice): Promise<PostedMessage> {
    const answer = await this.#call('chat.postMessage', { channel: this.#options.channel, text: `${notice.tool} needs an approval`, blocks: approvalRequestBlocks(notice) });
    return { channel: String(answer.channel), ts: String(answer.ts) };
  }

  async postOutcome(message: PostedMessage, notice: Pick<ApprovalNotice, 'tool' | 'runId'>, outcome: string): Promise<void> {
    await this.#call('chat.update', { channel: message.channel, ts: message.ts, text: outcome, blocks: approvalOutcomeBlocks(notice, outcome) });
  }

  async #call(method: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const doFetch = this.#options.fetch ?? globalThis.fetch;
    const response = await doFetch(`${this.#options.apiBase ?? 'https://slack.com/api'}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${this.#options.botToken}` },
      body: JSON.stringify(body),
    });
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    // Slack answers 200 with ok: false for API errors; its error code is safe to report, the request is not.
    if (!response.ok || answer.ok !== true) throw new Error(`Slack ${method} failed: ${typeof answer.error === 'string' ? answer.error : `HTTP ${response.status}`}`);
    return answer;
  }
}
