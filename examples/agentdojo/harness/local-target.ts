import { createApiServer, listen, type LocalUser, startLocalSystem } from 'guarded-agents/local';
import type { ModelProvider } from 'guarded-agents';
import type { Target } from './run-case.ts';
import { ScriptedAgent } from './scripted-agents.ts';
import type { AnySuite } from './suite.ts';
import { suiteAgent } from './suite-stack.ts';

const APPROVER: LocalUser = { token: 'agentdojo-approver-token', userId: 'dojo-approver', groups: ['approver'] };

/**
 * A suite's agent on the local system, served over HTTP as `npm start` serves one: the synthesized
 * state machine, the guard pipeline, the labels and approvals. Each case's user talks to the case's
 * scripted agent; with `provider`, to the configured model instead (MODEL_PROVIDER, as deployed);
 * with `policies`, the agent checks the suite's Cedar policies too.
 */
export const startLocalTarget = async (suite: AnySuite, options: { readonly provider: boolean; readonly policies?: boolean }) => {
  const users: LocalUser[] = [APPROVER];
  const agents = new Map<string, ModelProvider>();
  const system = await startLocalSystem({
    app: { agent: suiteAgent(suite, { policies: options.policies ?? false }) },
    users,
    model: options.provider ? undefined : (run) => agents.get(run.userId),
    approvalTimeoutMs: 10 * 60_000,
  });
  const server = createApiServer(system.deps, users, { onUnexpected: (error) => console.error('unexpected error:', error) });
  const port = await listen(server, 0);
  const target: Target = {
    baseUrl: `http://127.0.0.1:${port}`,
    approverToken: APPROVER.token,
    enrol: (userId, c, pre) => {
      const token = `agentdojo-${userId}-token`;
      // The case's user owns the world its tools act on (their account, mailbox, drive): deleting their own file is theirs to ask for.
      users.push({ token, userId, groups: ['admin'] });
      if (c.agent !== 'honest' && !c.attack) throw new Error(`a ${c.agent} agent needs an attack`);
      // The attacker works with the data of the case's own world, as AgentDojo's injection tasks do.
      agents.set(userId, new ScriptedAgent(c.userTask, c.attack ? { task: c.attack, pre } : undefined));
      return token;
    },
    release: (userId) => {
      agents.delete(userId);
      const index = users.findIndex((u) => u.userId === userId);
      if (index >= 0) users.splice(index, 1);
    },
    pollMs: 10,
    timeoutMs: 120_000,
  };
  return {
    target,
    stop: async () => {
      server.close();
      await system.stop();
    },
  };
};
