import { join } from 'node:path';
import type { Suite } from '../../harness/suite.ts';
import { vectorDefaults } from '../../harness/load-world.ts';
import { slackAdaptiveTasks } from './adaptive-tasks.ts';
import { slackInjectionTasks } from './injection-tasks.ts';
import { slackUserTasks } from './user-tasks.ts';
import { slackWorld, type SlackWorld } from './world.ts';
import { addUserToChannel } from './tools/add-user-to-channel/tool.ts';
import { getChannels } from './tools/get-channels/tool.ts';
import { getUsersInChannel } from './tools/get-users-in-channel/tool.ts';
import { getWebpage } from './tools/get-webpage/tool.ts';
import { inviteUserToSlack } from './tools/invite-user-to-slack/tool.ts';
import { postWebpage } from './tools/post-webpage/tool.ts';
import { readChannelMessages } from './tools/read-channel-messages/tool.ts';
import { readInbox } from './tools/read-inbox/tool.ts';
import { removeUserFromSlack } from './tools/remove-user-from-slack/tool.ts';
import { sendChannelMessage } from './tools/send-channel-message/tool.ts';
import { sendDirectMessage } from './tools/send-direct-message/tool.ts';

/** AgentDojo's slack suite: a workspace and the web it links to, 21 user tasks, 5 injection tasks. */
export const slackSuite: Suite<SlackWorld> = {
  name: 'slack',
  tools: [
    getChannels,
    addUserToChannel,
    readChannelMessages,
    readInbox,
    sendDirectMessage,
    sendChannelMessage,
    getUsersInChannel,
    inviteUserToSlack,
    removeUserFromSlack,
    getWebpage,
    postWebpage,
  ],
  toolsDir: join(import.meta.dirname, 'tools'),
  policiesDir: join(import.meta.dirname, 'policies'),
  world: slackWorld,
  vectorDefaults: vectorDefaults('slack'),
  userTasks: slackUserTasks,
  injectionTasks: slackInjectionTasks,
  adaptiveTasks: slackAdaptiveTasks,
};
