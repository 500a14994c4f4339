import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { UNFILLED_SLACK_SECRET } from '#functions/commons/slack-config.ts';
import { GuardedAgentsStack } from '../../../infra/guarded-agents-stack.ts';
import { attachNagPacks } from '../../../infra/nag-acknowledgements.ts';
import { testApp, useDemoStack, type Resources } from './demo-stack-template.ts';

// Slack approvals as synthesized: off by default; when on, the secret and who may read it.

const demo = useDemoStack();

describe('Slack', () => {
  it('is off by default, and when on keeps its secret in Secrets Manager, readable only by the approval, model (expiry), API and MCP functions', () => {
    demo.template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    const app = testApp();
    const stack = new GuardedAgentsStack(app, 'WithSlack', { senderEmail: 'agent@example.com', slackChannel: 'C123ABC456' });
    attachNagPacks(app);
    app.synth();
    const withSlack = Template.fromStack(stack);
    withSlack.resourceCountIs('AWS::SecretsManager::Secret', 1);
    const json = withSlack.toJSON().Resources as Resources;
    const readers = Object.entries(json).filter(
      ([, r]) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties).includes('secretsmanager:GetSecretValue'),
    ).length;
    expect(readers).toBe(4);
    const withEnv = Object.values(json).filter(
      (r) => r.Type === 'AWS::Lambda::Function' && JSON.stringify(r.Properties).includes('SLACK_SECRET_ARN'),
    );
    expect(withEnv.map((r) => String(r.Properties.Description)).sort()).toEqual([
      'Agent loop: calls the model and screens the calls it asks for',
      'Agent loop: records an approval with its task token and tells approvers',
      'HTTP API: runs, audit, approvals, Slack interactions, tools',
      'MCP (Streamable HTTP): the guarded tools for MCP clients',
    ]);
    // Created in the shape the functions read, unfilled, so cold starts treat Slack as off until it is filled in.
    withSlack.hasResourceProperties('AWS::SecretsManager::Secret', { SecretString: JSON.stringify(UNFILLED_SLACK_SECRET) });
    expect(Object.keys(withSlack.findOutputs('SlackSecretArn'))).toEqual(['SlackSecretArn']);
    // Slack deciders are resolved to their pool identity: the API function (only) may look them up, in this pool only.
    const lookups = Object.values(json).filter(
      (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties).includes('cognito-idp:ListUsers'),
    );
    expect(lookups).toHaveLength(1);
    expect(JSON.stringify(lookups[0]!.Properties)).toContain('cognito-idp:AdminListGroupsForUser');
    expect(JSON.stringify(lookups[0]!.Properties)).toMatch(/AgentFrontUsers[0-9A-F]{8}/);
    expect(JSON.stringify(demo.template.toJSON())).not.toContain('cognito-idp:ListUsers');
  });
});
