import { readFileSync } from 'node:fs';
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { toolCatalog } from '#functions/tools/catalog.ts';
import * as FunctionEnv from '#functions/commons/env/function-env.ts';
import { ResourceEnv } from '#functions/commons/tool-deps.ts';
import { demoTableSpecs } from '#functions/demo-data/demo-tables.ts';
import { guardTableSpecs, orchestrationTableSpecs } from '#shared/tables/index.ts';
import { GuardedAgent } from '../../../infra/guarded-agent/guarded-agent.ts';
import { GuardedAgentsStack } from '../../../infra/guarded-agents-stack.ts';
import { testApp } from './demo-stack-template.ts';

// The Lambda entries GuardedAgent generates, and the environment each function is given.

describe('generated Lambda entries', () => {
  it('give each tool the clients its resources need, and no others (its bundle carries only those)', () => {
    const entries = new GuardedAgentsStack(testApp(), 'Entries', { senderEmail: 'agent@example.com' }).agent.entries;
    const source = (fn: string) => readFileSync(entries.get(fn) as string, 'utf8');
    expect(source('lookup_order')).toContain('createDeps(requireEnv, { dynamoDb })');
    expect(source('lookup_order')).not.toMatch(/s3-client|ses-client|approval-reader/);
    expect(source('delete_document')).toContain('approvalReaderFromEnv()');
    expect(source('read_document')).toContain('s3: newS3Client()');
    expect(source('send_email')).toContain('ses: newSesClient()');
    expect(source('fetch_url')).toContain('fetch: globalThis.fetch');
    expect(source('CallModel')).toContain('declaredTool(tool0, "search_knowledge_base")');
  });
});

describe("the functions' environment", () => {
  it("sets only variables declared once: in FunctionEnv, a table's spec, a tool resource's ResourceEnv, or Powertools' and OpenTelemetry's own", () => {
    const app = testApp();
    const stack = new GuardedAgentsStack(app, 'EveryVariable', {
      senderEmail: 'agent@example.com',
      slackChannel: 'C123',
      spendBudgets: { limits: [{ scope: 'user', window: 'day', toolCalls: 50, alarmAt: 0.8 }] },
      approvalEscalation: { after: Duration.minutes(20), group: 'oncall' },
      tracing: { xray: true, otlpEndpoint: 'https://collector.example.com/v1/traces', otlpHeaders: true, captureContent: true },
      auditArchiveDays: 30,
      mcpOAuth: { domainPrefix: 'guarded-agents-vars', callbackUrls: ['http://localhost:6274/oauth/callback'] },
    });
    const declared = new Set([
      ...Object.values(FunctionEnv).map((variable) => variable.name),
      ...Object.values({ ...guardTableSpecs, ...orchestrationTableSpecs, ...demoTableSpecs }).map((spec) => spec.envVar),
      ...Object.values(ResourceEnv),
    ]);
    const environments = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map(
      (fn) => (fn as { Properties: { Environment?: { Variables: Record<string, unknown> } } }).Properties.Environment?.Variables ?? {},
    );
    const set = new Set(environments.flatMap((variables) => Object.keys(variables)));
    const undeclared = [...set].filter((name) => !declared.has(name) && !/^(POWERTOOLS_|OTEL_)/.test(name));
    expect(set.size).toBeGreaterThan(25);
    expect(undeclared).toEqual([]);
  });

  it("tells every function that emits metrics the deployment's namespace", () => {
    const template = Template.fromStack(
      Stack.of(
        new GuardedAgent(new Stack(testApp(), 'Namespace'), 'A', {
          tools: toolCatalog.tools.filter((tool) => tool.name === 'fetch_url'),
          toolsDir: 'functions/tools',
          metricsNamespace: 'TeamAgents',
        }),
      ),
    );
    const namespaceOf = (description: string) =>
      Object.values(template.findResources('AWS::Lambda::Function'))
        .map((fn) => (fn as { Properties: { Description: string; Environment: { Variables: Record<string, string> } } }).Properties)
        .find((p) => p.Description.startsWith(description))?.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE;
    for (const description of ['Agent loop: calls the model', 'Agent loop: records an approval', 'HTTP API', 'Tool fetch_url'])
      expect(namespaceOf(description), description).toBe('TeamAgents');
  });
});
