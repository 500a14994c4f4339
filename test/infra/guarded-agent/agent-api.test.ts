import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { GuardedAgentsStack } from '../../../infra/guarded-agents-stack.ts';
import { ofType, refsIn, useDemoStack, tableIdOf, testApp } from './demo-stack-template.ts';

// The front door as synthesized: Cognito, the routes and their authorizer, the stage, the API
// function's grants, and MCP authorization.

const demo = useDemoStack();

describe('the front door', () => {
  it('has a Cognito pool with the four groups, MFA required and no self sign-up', () => {
    demo.template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    expect(
      ofType(demo.resources, 'AWS::Cognito::UserPoolGroup')
        .map(([, g]) => g.Properties.GroupName)
        .sort(),
    ).toEqual(['admin', 'approver', 'operator', 'user']);
  });

  it('puts every route behind the Cognito authorizer except /health and the signed Slack callback', () => {
    const paths = new Map(ofType(demo.resources, 'AWS::ApiGateway::Resource').map(([id, r]) => [id, String(r.Properties.PathPart)]));
    const methods = ofType(demo.resources, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod !== 'OPTIONS');
    const open = methods
      .filter(([, m]) => m.Properties.AuthorizationType !== 'COGNITO_USER_POOLS')
      .map(([, m]) => paths.get(refsIn(m.Properties.ResourceId)[0] as string));
    // Open: /health, Slack's signed callback, and /mcp's protected-resource metadata (both forms): how a client learns where to sign in.
    expect(open.sort()).toEqual([
      'health',
      'health',
      'interactions',
      'interactions',
      'mcp',
      'mcp',
      'oauth-protected-resource',
      'oauth-protected-resource',
    ]);
    // Each route's method, plus ANY so that a wrong method gets the router's 405: 19 demo.resources (health, tools, runs (GET and
    // POST), a run, its audit, its audit's verify, its trace, its path, usage, budgets, the audit search, a user's MCP label
    // (GET and DELETE), MCP, its metadata (two forms), approvals, an approval (GET and POST), its delegation, Slack).
    expect(methods).toHaveLength(41);
    expect(methods.filter(([, m]) => m.Properties.HttpMethod === 'ANY')).toHaveLength(19);
  });

  it('throttles the stage and keeps bodies out of its logs', () => {
    demo.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100, DataTraceEnabled: false, LoggingLevel: 'INFO' }),
      ]),
      AccessLogSetting: Match.anyValue(),
    });
  });

  it('lets the API function start executions and answer task tokens with a decision, and nothing else of the state machine', () => {
    const [, api] = ofType(demo.resources, 'AWS::Lambda::Function').find(([, fn]) =>
      String(fn.Properties.Description).startsWith('HTTP API'),
    )!;
    const role = refsIn(api.Properties.Role)[0];
    const actions = ofType(demo.resources, 'AWS::IAM::Policy')
      .filter(([, p]) => refsIn(p.Properties.Roles).includes(role as string))
      .flatMap(([, p]) =>
        (p.Properties.PolicyDocument as { Statement: Array<{ Action: string | string[] }> }).Statement.flatMap((st) => [st.Action].flat()),
      )
      .filter((a) => a.startsWith('states:'));
    // A decision is a task's success (a denial too: the loop reads it); never a failure or a heartbeat.
    expect(actions.sort()).toEqual(['states:SendTaskSuccess', 'states:StartExecution']);
  });

  it('sends the API function the sweep of undelivered decisions every minute, and lets it read their index of the approvals table', () => {
    const [apiId, api] = ofType(demo.resources, 'AWS::Lambda::Function').find(([, fn]) =>
      String(fn.Properties.Description).startsWith('HTTP API'),
    )!;
    const sweeps = ofType(demo.resources, 'AWS::Events::Rule').filter(([, rule]) =>
      (rule.Properties.Targets as Array<{ Arn: unknown; Input?: string }>).some(
        (t) => refsIn(t.Arn).includes(apiId) && t.Input === JSON.stringify({ deliverDecisions: true }),
      ),
    );
    expect(sweeps.map(([, rule]) => rule.Properties.ScheduleExpression)).toEqual(['rate(1 minute)']);
    const [approvalsId, approvals] = ofType(demo.resources, 'AWS::DynamoDB::Table').find(([id]) => tableIdOf(id) === 'Approvals')!;
    expect(approvals.Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'Undelivered',
        KeySchema: [{ AttributeName: 'undelivered', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ]);
    const role = refsIn(api.Properties.Role)[0];
    const onIndex = ofType(demo.resources, 'AWS::IAM::Policy')
      .filter(([, p]) => refsIn(p.Properties.Roles).includes(role as string))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Array<{ Action: string | string[]; Resource: unknown }> }).Statement)
      .filter((st) => JSON.stringify(st.Resource).includes('/index/Undelivered'));
    expect(onIndex.map((st) => [st.Action].flat())).toEqual([['dynamodb:Query']]);
    expect(refsIn(onIndex[0]?.Resource)).toContain(approvalsId);
  });
});

describe('the routes', () => {
  it("gives every route of the router a resource and method in API Gateway, so none answers 'Missing Authentication Token' deployed", async () => {
    const { routes } = await import('#functions/api/routes.ts');
    const json = Template.fromStack(new GuardedAgentsStack(testApp(), 'FrontDoor', { senderEmail: 'agent@example.com' })).toJSON()
      .Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
    const paths = new Map<string, string>();
    const pathOf = (id: string): string => {
      const known = paths.get(id);
      if (known !== undefined) return known;
      const resource = json[id]!;
      const parent = resource.Properties.ParentId as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      const above = parent.Ref ? pathOf(parent.Ref) : '';
      const path = `${above}/${String(resource.Properties.PathPart).replace(/^\{.*\}$/, '{}')}`;
      paths.set(id, path);
      return path;
    };
    const gateway = new Set<string>();
    for (const [, r] of Object.entries(json).filter(([, r]) => r.Type === 'AWS::ApiGateway::Method')) {
      const resource = r.Properties.ResourceId as { Ref?: string };
      if (resource.Ref) gateway.add(`${String(r.Properties.HttpMethod)} ${pathOf(resource.Ref)}`);
    }
    const routed = routes.map(
      (route) =>
        `${route.method} ${route.pattern.source
          .replace(/^\^/, '')
          .replace(/\$$/, '')
          .replaceAll('\\/', '/')
          .replaceAll('\\.', '.')
          .replaceAll('([^/]+)', '{}')}`,
    );
    expect(routed.filter((r) => !gateway.has(r))).toEqual([]);
  });
});

describe('MCP authorization (mcpOAuth)', () => {
  it('adds a Cognito domain, the /mcp scope and a public code-flow client; /mcp takes access tokens and its 401 names the metadata', () => {
    const stack = new GuardedAgentsStack(testApp(), 'McpOAuth', {
      senderEmail: 'agent@example.com',
      mcpOAuth: { domainPrefix: 'guarded-agents-test', callbackUrls: ['http://localhost:6274/oauth/callback'] },
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'guarded-agents-test' });
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'guarded-agents',
      Scopes: [Match.objectLike({ ScopeName: 'mcp' })],
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      // The resource server's scope is joined from its identifier at deploy time.
      AllowedOAuthScopes: ['openid', Match.objectLike({ 'Fn::Join': Match.anyValue() })],
      CallbackURLs: ['http://localhost:6274/oauth/callback'],
      GenerateSecret: false,
    });
    const json = template.toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const methods = Object.values(json.Resources).filter((r) => r.Type === 'AWS::ApiGateway::Method' && r.Properties.AuthorizationScopes);
    // POST and ANY on /mcp, and nothing else, take access tokens.
    expect(methods.map((m) => m.Properties.AuthorizationScopes)).toEqual([
      ['guarded-agents/mcp', 'aws.cognito.signin.user.admin'],
      ['guarded-agents/mcp', 'aws.cognito.signin.user.admin'],
    ]);
    const unauthorized = Object.values(json.Resources).find((r) => r.Type === 'AWS::ApiGateway::GatewayResponse');
    expect(unauthorized?.Properties.ResponseType).toBe('UNAUTHORIZED');
    expect(JSON.stringify(unauthorized?.Properties.ResponseParameters)).toContain('/prod/.well-known/oauth-protected-resource/mcp');
    const api = Object.values(json.Resources).find(
      (r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.Description).startsWith('HTTP API'),
    );
    expect(JSON.stringify(api?.Properties.Environment)).toContain('MCP_OAUTH_ISSUER');
    expect(Object.keys(template.toJSON().Outputs as object)).toEqual(expect.arrayContaining(['McpOAuthClientId', 'OAuthDomainUrl']));
  });
});
