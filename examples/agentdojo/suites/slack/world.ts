import { loadEnvironment } from '../../harness/load-world.ts';

/** A Slack message, with AgentDojo's field names. */
export interface Message {
  sender: string;
  recipient: string;
  body: string;
}

/** The slack suite's environment: a workspace (users, channels, inboxes) and the web it links to. */
export interface SlackWorld {
  slack: {
    users: string[];
    channels: string[];
    user_channels: Record<string, string[]>;
    user_inbox: Record<string, Message[]>;
    channel_inbox: Record<string, Message[]>;
  };
  web: { web_content: Record<string, string>; web_requests: string[] };
}

export const slackWorld = (vectors: Readonly<Record<string, string>>): SlackWorld => loadEnvironment('slack', vectors) as SlackWorld;

/** AgentDojo's URL key: the address without its scheme. */
export const standardUrl = (url: string): string => url.replace(/^https:\/\//, '').replace(/^http:\/\//, '');
