import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { createTemplateApp } from '../../infra/cdk-app.ts';
import { GuardedAgent } from '../../infra/guarded-agent/guarded-agent.ts';
import { attachNagPacks } from '../../infra/nag-acknowledgements.ts';
import { remoteTools, remoteToolsApp } from '../fixtures/remote-mcp/remote-app.ts';

const URL_ = 'https://mcp.example.com/mcp';
type Resource = { Type: string; Properties: Record<string, unknown> };

const synth = () => {
  const app = createTemplateApp();
  const agent = remoteToolsApp(URL_).agent(app);
  attachNagPacks(app);
  app.synth(); // throws if cdk-nag finds anything unacknowledged
  const stack = Stack.of(agent);
  return { agent, stack, resources: Template.fromStack(stack).toJSON().Resources as Record<string, Resource> };
};

describe('a remote MCP server’s tools, deployed', () => {
  it('give each tool’s function its server and read access to that one secret, and no other function either', () => {
    const { agent, stack, resources } = synth();
    const policyText = (fnName: string) => {
      const fn =
        resources[
          stack.getLogicalId(
            (agent.toolFunctions.get(fnName)?.function ?? agent.orchestrationFunctions[fnName as 'api']).node.defaultChild as never,
          )
        ]!;
      const role = JSON.stringify(fn.Properties.Role).match(/"([A-Za-z0-9]+)","Arn"/)?.[1];
      return Object.values(resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${role}"`))
        .map((r) => JSON.stringify(r.Properties.PolicyDocument))
        .join();
    };
    for (const tool of remoteTools) {
      const fn = resources[stack.getLogicalId(agent.toolFunctions.get(tool.name)!.function.node.defaultChild as never)]!;
      const env = (fn.Properties.Environment as { Variables: Record<string, string> }).Variables;
      expect(JSON.parse(env.MCP_SERVER!)).toEqual({ url: URL_, secret: 'docs-mcp' });
      const policy = policyText(tool.name);
      expect(policy).toContain('secretsmanager:GetSecretValue');
      expect(policy).toContain(':secret:docs-mcp-??????');
      expect(policy).not.toContain('DescribeSecret');
    }
    for (const fn of ['callModel', 'api', 'mcp', 'requestApproval']) expect(policyText(fn)).not.toContain('docs-mcp');
  });

  it('generate each tool’s entry from its tool.ts alone, with the package’s client and only the clients it needs', () => {
    const { agent } = synth();
    const entry = readFileSync(agent.entries.get('search_docs')!, 'utf8');
    expect(entry).toContain(join('functions', 'commons', 'remote-mcp', 'deps'));
    expect(entry).toContain('secrets: newSecretsClient()');
    expect(entry).toContain('fetch: globalThis.fetch');
    expect(entry).not.toMatch(/newS3Client|newSesClient/);
  });

  it.each([
    [
      'a server a tool names but mcpServers does not give',
      {},
      /tool search_docs is a tool of server "docs", which mcpServers does not give/,
    ],
    ['a URL that is not https', { docs: { url: 'http://mcp.example.com/mcp' } }, /docs.url must be https/],
    ['credentials in the URL', { docs: { url: 'https://user:pw@mcp.example.com/mcp' } }, /must not carry credentials/],
    [
      'a secret name Secrets Manager would refuse',
      { docs: { url: URL_, secretName: 'no spaces' } },
      /secretName is not a Secrets Manager name/,
    ],
    ['a server no tool uses', { docs: { url: URL_ }, other: { url: URL_ } }, /server "other" is given but no tool/],
  ])('refuse at synth %s', (_what, mcpServers, message) => {
    const agent = () =>
      new GuardedAgent(new Stack(createTemplateApp(), 'S'), 'A', {
        tools: remoteTools,
        toolsDir: join(import.meta.dirname, '..', 'fixtures', 'remote-mcp', 'tools'),
        mcpServers,
      });
    expect(agent).toThrow(message);
  });

  it('may reach a server on the same machine over http', () => {
    expect(() => remoteToolsApp('http://127.0.0.1:8931/mcp').agent(createTemplateApp())).not.toThrow();
  });
});
