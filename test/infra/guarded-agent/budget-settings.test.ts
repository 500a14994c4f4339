import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { GuardedAgent } from '../../../infra/guarded-agent/guarded-agent.ts';
import { testApp, type Resources } from './demo-stack-template.ts';

// Budgets as synthesized: per run (runBudget) and per user and tenant (spendBudgets).

describe('run budgets', () => {
  const tools = () => [toolCatalog.resolve('fetch_url')!];
  const agent = (props: Partial<ConstructorParameters<typeof GuardedAgent>[2]>) =>
    new GuardedAgent(new Stack(testApp(), 'Budgets'), 'A', { tools: tools(), toolsDir: 'functions/tools', ...props });
  it('tells the API the caps and CallModel and the API the prices, checked at synth', () => {
    const built = agent({ runBudget: { toolCalls: 50, usd: 2 }, modelPrices: { inputPerMillion: 3, outputPerMillion: 15 } });
    const fns = Object.values(Template.fromStack(Stack.of(built)).toJSON().Resources as Resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function',
    );
    const env = (description: string) =>
      (
        fns.find((f) => String(f.Properties.Description).startsWith(description))!.Properties.Environment as {
          Variables: Record<string, string>;
        }
      ).Variables;
    const built_ = { orchestrationFunctions: { api: 'HTTP API', callModel: 'Agent loop: calls the model' } };
    expect(JSON.parse(env(built_.orchestrationFunctions.api).RUN_BUDGET!)).toEqual({ toolCalls: 50, usd: 2 });
    expect(JSON.parse(env(built_.orchestrationFunctions.callModel).MODEL_PRICES!)).toEqual({ inputPerMillion: 3, outputPerMillion: 15 });
    expect(env(built_.orchestrationFunctions.callModel).RUN_BUDGET).toBeUndefined();
  });

  it('refuses a dollar cap without prices, and a cap that is not a positive number', () => {
    expect(() => agent({ runBudget: { usd: 1 } })).toThrow('runBudget.usd needs modelPrices');
    expect(() => agent({ runBudget: { toolCalls: 0 } })).toThrow(/GuardedAgent runBudget is not valid: toolCalls/);
  });
});

describe('budgets per user and tenant (spendBudgets)', () => {
  const tools = () => [toolCatalog.resolve('fetch_url')!];
  const spendBudgets = {
    tenant: { groupPrefix: 'tenant-' },
    limits: [{ scope: 'user' as const, window: 'day' as const, toolCalls: 200, alarmAt: 0.8 }],
  };
  const templateOf = (props: Partial<ConstructorParameters<typeof GuardedAgent>[2]>) =>
    Template.fromStack(
      Stack.of(new GuardedAgent(new Stack(testApp(), 'Spend'), 'A', { tools: tools(), toolsDir: 'functions/tools', ...props })),
    );
  const fnsOf = (template: Template) =>
    Object.entries(template.toJSON().Resources as Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
  const envOf = (template: Template, description: string) =>
    (
      fnsOf(template).find(([, f]) => String(f.Properties.Description).startsWith(description))![1].Properties.Environment as {
        Variables: Record<string, string>;
      }
    ).Variables;

  it('tells CallModel and the API the budgets, lets CallModel write the counters, and alarms on the declared share', () => {
    const template = templateOf({ spendBudgets });
    expect(JSON.parse(envOf(template, 'Agent loop: calls the model').SPEND_BUDGETS!)).toEqual(spendBudgets);
    expect(JSON.parse(envOf(template, 'HTTP API').SPEND_BUDGETS!)).toEqual(spendBudgets);
    const policies = JSON.stringify(template.toJSON().Resources);
    expect(policies).toContain('dynamodb:UpdateItem');
    const alarms = Object.values(template.toJSON().Resources as Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms.filter((a) => a.Properties.MetricName === 'BudgetAlarms')).toHaveLength(1);
    const dashboard = JSON.stringify(
      Object.values(template.toJSON().Resources as Resources).find((r) => r.Type === 'AWS::CloudWatch::Dashboard'),
    );
    expect(dashboard).toContain("filter message = 'model call'");
    expect(dashboard).toContain('stats count(*) as calls by userId, tool');
  });

  it('without budgets: no counters to write, no budget alarm, and the spend widgets still read the logs', () => {
    const template = templateOf({});
    expect(envOf(template, 'Agent loop: calls the model').SPEND_BUDGETS).toBeUndefined();
    const alarms = Object.values(template.toJSON().Resources as Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms.filter((a) => a.Properties.MetricName === 'BudgetAlarms')).toHaveLength(0);
  });

  it('refuses at synth what cannot be kept: tenant limits without a tenant source, a dollar cap without prices, an empty limit', () => {
    expect(() => templateOf({ spendBudgets: { limits: [{ scope: 'tenant', window: 'month', toolCalls: 5 }] } })).toThrow(
      /spendBudgets is not valid: .*needs `tenant`/,
    );
    expect(() => templateOf({ spendBudgets: { limits: [{ scope: 'user', window: 'day', usd: 5 }] } })).toThrow('needs modelPrices');
    expect(() => templateOf({ spendBudgets: { limits: [{ scope: 'user', window: 'day' }] } })).toThrow(/caps at least one of/);
  });
});
