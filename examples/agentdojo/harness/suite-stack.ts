import { Stack } from 'aws-cdk-lib';
import type { App } from 'aws-cdk-lib';
import { GuardedAgent } from 'guarded-agents/construct';
import type { AnySuite } from './suite.ts';

/** A suite's agent as a team's CDK app declares one: its tools, from their folders, and with `policies` its Cedar policies. */
export const suiteAgent =
  (suite: AnySuite, options: { readonly policies?: boolean } = {}) =>
  (app: App) =>
    new GuardedAgent(new Stack(app, `AgentDojo-${suite.name}`), 'Agent', {
      tools: [...suite.tools],
      toolsDir: suite.toolsDir,
      ...(options.policies ? { policies: suite.policiesDir } : {}),
    });
