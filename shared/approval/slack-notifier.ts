import { callSlackApi, type SlackApiOptions } from './slack-api.ts';
import { approvalOutcomeBlocks, approvalRequestBlocks, type ApprovalNotice } from './slack-message.ts';

export interface SlackNotifierOptions extends SlackApiOptions {
  /** Where approval requests go (the bot token needs chat:write). */
  readonly channel: string;
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
    const answer = await this.#call('chat.postMessage', {
      channel: this.#options.channel,
      text: `${notice.tool} needs an approval`,
      blocks: approvalRequestBlocks(notice),
    });
    return { channel: String(answer.channel), ts: String(answer.ts) };
  }

  async postOutcome(message: PostedMessage, notice: Pick<ApprovalNotice, 'tool' | 'runId'>, outcome: string): Promise<void> {
    await this.#call('chat.update', {
      channel: message.channel,
      ts: message.ts,
      text: outcome,
      blocks: approvalOutcomeBlocks(notice, outcome),
    });
  }

  #call(method: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    return callSlackApi(this.#options, method, body);
  }
}
