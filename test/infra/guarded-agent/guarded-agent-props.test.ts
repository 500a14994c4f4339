import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { demoTableSpecs } from '#functions/demo-data/demo-tables.ts';
import { defineTool } from '#shared/tool/index.ts';
import type { DynamoDbAction } from '#shared/tables/index.ts';
import { GuardedAgent } from '../../../infra/guarded-agent/guarded-agent.ts';
import { attachNagPacks } from '../../../infra/nag-acknowledgements.ts';
import { testApp } from './demo-stack-template.ts';

// GuardedAgent refuses, at synth, the props it cannot deploy, and says how to fix them.

describe('GuardedAgent refuses bad input with how to fix it', () => {
  const toolsDir = 'functions/tools';
  const sendEmail = toolCatalog.resolve('send_email')!;

  it('refuses a tool that fails tool lint', () => {
    const bad = defineTool({ ...sendEmail, name: 'do_stuff', description: 'Does stuff', input: z.strictObject({}) });
    expect(() => new GuardedAgent(new Stack(testApp(), 'S'), 'A', { tools: [bad], toolsDir })).toThrow(/do_stuff \[name-is-specific\]/);
  });
  it('refuses a tool that sends email without a sender identity', () => {
    expect(() => new GuardedAgent(new Stack(testApp(), 'S'), 'A', { tools: [sendEmail], toolsDir })).toThrow(/set senderEmail/);
  });
  it('refuses a tool whose table was not given', () => {
    expect(() => new GuardedAgent(new Stack(testApp(), 'S'), 'A', { tools: [toolCatalog.resolve('lookup_order')!], toolsDir })).toThrow(
      /needs table Orders/,
    );
  });
  it('refuses a table action outside the access a tool declares, and grants exactly the actions it names', () => {
    const lookup = toolCatalog.resolve('lookup_order')!;
    const withActions = (actions: readonly DynamoDbAction[]) =>
      defineTool({ ...lookup, resources: [{ kind: 'table', table: demoTableSpecs.orders.id, access: 'read', actions }] });
    const build = (actions: readonly DynamoDbAction[]) =>
      new GuardedAgent(new Stack(testApp(), 'S'), 'A', {
        tools: [withActions(actions)],
        toolsDir,
        dataTables: [demoTableSpecs.orders],
      });
    expect(() => build(['GetItem', 'PutItem'])).toThrow(
      /names PutItem for table Orders, which is not read access: declare access 'readWrite'/,
    );
    const agent = build(['GetItem']);
    const policies = Template.fromStack(Stack.of(agent)).findResources('AWS::IAM::Policy');
    const onOrders = Object.values(policies)
      .flatMap(
        (p) =>
          (p as { Properties: { PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown }> } } }).Properties
            .PolicyDocument.Statement,
      )
      .filter((st) => JSON.stringify(st.Resource).includes('Orders'));
    expect(onOrders.map((st) => st.Action)).toEqual(['dynamodb:GetItem']);
  });
  it('refuses a tool whose folder has no declaration', () => {
    expect(
      () => new GuardedAgent(new Stack(testApp(), 'S'), 'A', { tools: [sendEmail], toolsDir: '/nowhere', senderEmail: 'a@example.com' }),
    ).toThrow(/send_email has no declaration at \/nowhere\/send-email\/tool.ts/);
  });
  it('fails the synth on an unacknowledged cdk-nag finding', () => {
    const app = testApp();
    const stack = new Stack(app, 'Nag');
    new GuardedAgent(stack, 'A', { tools: [toolCatalog.resolve('fetch_url')!], toolsDir });
    new Bucket(stack, 'Careless'); // no TLS-only policy, no access logs
    attachNagPacks(app);
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
  });
});
