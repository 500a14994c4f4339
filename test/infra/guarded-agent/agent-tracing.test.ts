import { readFileSync } from 'node:fs';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { GuardedAgent } from '../../../infra/guarded-agent/guarded-agent.ts';
import { GuardedAgentsStack } from '../../../infra/guarded-agents-stack.ts';
import { attachNagPacks } from '../../../infra/nag-acknowledgements.ts';
import { refsIn, testApp, type Resources } from './demo-stack-template.ts';

// Traces as synthesized: off by default; when on, who exports, where, and with which grants.

describe('traces', () => {
  /** Each function's environment and the actions its role may use, by its description's first words. */
  const functionsOf = (stack: Stack) => {
    const json = Template.fromStack(stack).toJSON().Resources as Resources;
    const policies = Object.values(json).filter((r) => r.Type === 'AWS::IAM::Policy');
    return Object.values(json)
      .filter((r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.Description ?? '').length > 0)
      .map((fn) => {
        const role = refsIn(fn.Properties.Role)[0] as string;
        const actions = policies
          .filter((p) => refsIn(p.Properties.Roles).includes(role))
          .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Array<{ Action: string | string[] }> }).Statement)
          .flatMap((statement) => [statement.Action].flat());
        const env = (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
        return { description: String(fn.Properties.Description), env, actions };
      });
  };
  const spanMakers = (description: string) => description.startsWith('Tool ') || description.startsWith('Agent loop: calls the model');

  it('are off by default: no function is told to export, none may write spans, no entry imports the SDK', () => {
    const stack = new GuardedAgentsStack(testApp(), 'Untraced', { senderEmail: 'agent@example.com' });
    for (const fn of functionsOf(stack)) {
      expect(
        Object.keys(fn.env).filter((k) => k.startsWith('OTEL_') || k === 'TRACES_TO_XRAY'),
        fn.description,
      ).toEqual([]);
      expect(fn.actions, fn.description).not.toContain('xray:PutSpans');
    }
    for (const entry of stack.agent.entries.values()) expect(readFileSync(entry, 'utf8')).not.toContain('lambda-tracing');
  });

  it('when on, make the tools and CallModel export to X-Ray (and a collector), with only the span-writing actions, cdk-nag clean', () => {
    const app = testApp();
    const stack = new GuardedAgentsStack(app, 'Traced', {
      senderEmail: 'agent@example.com',
      tracing: { otlpEndpoint: 'https://collector.example.com/v1/traces', captureContent: true, serviceName: 'support-agent' },
    });
    attachNagPacks(app);
    app.synth();
    const fns = functionsOf(stack);
    expect(fns.filter((fn) => spanMakers(fn.description))).toHaveLength(10);
    for (const fn of fns) {
      if (!spanMakers(fn.description)) {
        expect(fn.env.TRACES_TO_XRAY, fn.description).toBeUndefined();
        expect(fn.actions, fn.description).not.toContain('xray:PutSpans');
        continue;
      }
      expect(fn.env, fn.description).toMatchObject({
        TRACES_TO_XRAY: 'true',
        OTEL_SERVICE_NAME: 'support-agent',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example.com/v1/traces',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
        OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
      });
      expect(fn.actions, fn.description).toEqual(expect.arrayContaining(['xray:PutSpans', 'xray:PutSpansForIndexing']));
    }
    const entries = stack.agent.entries;
    for (const fn of ['lookup_order', 'send_email', 'CallModel'])
      expect(readFileSync(entries.get(fn) as string, 'utf8')).toContain('withTracing(');
    for (const fn of ['Api', 'Mcp']) expect(readFileSync(entries.get(fn) as string, 'utf8')).not.toContain('withTracing(');
  });

  it("keeps a collector's headers in a secret of their own, readable by the traced functions only, and says to fill it in", () => {
    const app = testApp();
    const stack = new GuardedAgentsStack(app, 'TracedHeaders', {
      tracing: { xray: false, otlpEndpoint: 'https://collector.example.com/v1/traces', otlpHeaders: true },
    });
    attachNagPacks(app);
    app.synth();
    const json = Template.fromStack(stack).toJSON();
    const secret = stack.getLogicalId(stack.agent.tracingHeaders?.node.defaultChild as never);
    expect(json.Outputs.TracingHeadersSecretArn.Value).toEqual({ Ref: secret });
    for (const fn of functionsOf(stack)) {
      const traced = spanMakers(fn.description);
      expect(fn.env.OTLP_HEADERS_SECRET_ARN === undefined, fn.description).toBe(!traced);
      expect(fn.actions.includes('secretsmanager:GetSecretValue'), fn.description).toBe(traced);
      expect(fn.actions, fn.description).not.toContain('xray:PutSpans');
    }
  });

  it('refuses a setting that sends nowhere, or to something that is not a URL', () => {
    const tools = [toolCatalog.resolve('fetch_url')!];
    const agent = (tracing: ConstructorParameters<typeof GuardedAgent>[2]['tracing']) =>
      new GuardedAgent(new Stack(testApp(), 'S'), 'A', { tools, toolsDir: 'functions/tools', ...(tracing ? { tracing } : {}) });
    expect(() => agent({ xray: false })).toThrow('GuardedAgent tracing sends nowhere: leave xray on, or set otlpEndpoint');
    expect(() => agent({ otlpEndpoint: 'collector:4318' })).toThrow(/otlpEndpoint must be an http\(s\) URL/);
    expect(() => agent({ otlpHeaders: true })).toThrow(
      'GuardedAgent tracing.otlpHeaders needs otlpEndpoint: the headers are for that collector',
    );
  });
});
