import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { demoTableSpecs } from '#functions/demo-data/demo-tables.ts';
import { defineTool } from '#shared/tool/index.ts';
import type { DynamoDbAction } from '#shared/tables/index.ts';
import { cdkJsonContext, createTemplateApp, REPO_ROOT } from '../../infra/cdk-app.ts';
import { UNFILLED_SLACK_SECRET } from '#functions/commons/slack-config.ts';
import * as FunctionEnv from '#functions/commons/env/function-env.ts';
import { ResourceEnv } from '#functions/commons/tool-deps.ts';
import { guardTableSpecs, orchestrationTableSpecs } from '#shared/tables/index.ts';
import { MODEL_REQUEST_TIMEOUT_MS } from '#functions/orchestration/call-model/call-model.ts';
import { TOOL_CRASHED_FAILURE } from '#shared/tool-result/index.ts';
import { GuardedAgent } from '../../infra/guarded-agent/guarded-agent.ts';
import { GuardedAgentsStack } from '../../infra/guarded-agents-stack.ts';
import { attachNagPacks } from '../../infra/nag-acknowledgements.ts';
import { definitionFromTemplate } from '../../infra/state-machine-definition.ts';

// Bundling is skipped here (npm run synth bundles for real in CI); the template is the same.
const testApp = createTemplateApp;

let template: Template;
let resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;

beforeAll(() => {
  const app = testApp();
  const stack = new GuardedAgentsStack(app, 'Test', { senderEmail: 'agent@example.com' });
  attachNagPacks(app);
  app.synth(); // throws if cdk-nag finds anything unacknowledged
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
/** Logical ids referenced anywhere inside a value (Ref and Fn::GetAtt). */
const refsIn = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.Ref === 'string') return [o.Ref];
    if (Array.isArray(o['Fn::GetAtt'])) return [String(o['Fn::GetAtt'][0])];
    return Object.values(o).flatMap(refsIn);
  }
  return [];
};
const tableIdOf = (logicalId: string) => /^AgentTables([A-Za-z]+?)[0-9A-F]{8}$/.exec(logicalId)?.[1];

/** For each tool function: its environment and every (actions, resource) its role may use. */
const functionsByTool = () =>
  new Map(
    ofType('AWS::Lambda::Function')
      .filter(([, fn]) => String(fn.Properties.Description).startsWith('Tool '))
      .map(([, fn]) => {
        const tool = /Tool (\w+) /.exec(String(fn.Properties.Description))?.[1] as string;
        const role = refsIn(fn.Properties.Role)[0];
        const statements = ofType('AWS::IAM::Policy')
          .filter(([, p]) => refsIn(p.Properties.Roles).includes(role as string))
          .flatMap(
            ([, p]) => (p.Properties.PolicyDocument as { Statement: Array<{ Action: string | string[]; Resource: unknown }> }).Statement,
          );
        return [tool, { fn, statements }] as const;
      }),
  );

describe('GuardedAgentsStack', () => {
  it('deploys one function per tool, on the newest Node runtime, arm64, traced, with the tool timeout plus headroom', () => {
    const functions = functionsByTool();
    expect([...functions.keys()].sort()).toEqual(toolCatalog.tools.map((t) => t.name).sort());
    for (const tool of toolCatalog.tools) {
      const { fn } = functions.get(tool.name)!;
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: 256,
        TracingConfig: { Mode: 'Active' },
        Timeout: tool.timeoutMs / 1000 + 3,
      });
    }
  });

  it('gives each function only its own data stores and the guard tables, audit write-only, approvals to destructive tools and sinks only', () => {
    const expected: Record<string, string[]> = {
      search_knowledge_base: ['KnowledgeBase'],
      read_document: [],
      lookup_order: ['Orders'],
      // A read tool, but a sink (its URL leaves the company): it verifies approvals in a run with untrusted content.
      fetch_url: ['Approvals'],
      create_ticket: ['Tickets'],
      send_email: ['Approvals'],
      delete_document: ['Approvals'],
      publish_announcement: ['Announcements', 'Approvals'],
      refund_order: ['Approvals', 'Orders'],
    };
    for (const [tool, { fn, statements }] of functionsByTool()) {
      const tables = new Set(
        statements
          .flatMap((s) => refsIn(s.Resource))
          .map(tableIdOf)
          .filter(Boolean),
      );
      expect([...tables].sort(), tool).toEqual(['Audit', 'GuardState', 'Idempotency', ...(expected[tool] ?? [])].sort());
      const auditActions = statements
        .filter((s) => refsIn(s.Resource).some((r) => tableIdOf(r) === 'Audit'))
        .flatMap((s) => [s.Action].flat());
      expect(
        auditActions.some((a) => /Get|Query|Scan/.test(a)),
        `${tool} must not read the audit trail`,
      ).toBe(false);
      const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      const declared = toolCatalog.resolve(tool)!;
      expect('APPROVALS_TABLE' in env, tool).toBe(declared.risk === 'destructive' || declared.reaches === 'external');
      // Sinks are told the deployment's information-flow mode (default: approve).
      expect(env.INFORMATION_FLOW, tool).toBe(declared.reaches === 'external' ? 'approve' : undefined);
    }
  });

  it('uses a wildcard resource only for X-Ray, which supports no resource-level permissions', () => {
    for (const [tool, { statements }] of functionsByTool()) {
      for (const statement of statements.filter((s) => s.Resource === '*')) {
        expect(
          [statement.Action].flat().every((a) => a.startsWith('xray:')),
          `${tool}: ${JSON.stringify(statement.Action)}`,
        ).toBe(true);
      }
    }
  });

  it('scopes S3 to exact actions on the documents prefix (and listing the bucket, so a missing key is a 404) and SES to the sender identity', () => {
    const functions = functionsByTool();
    const s3 = (tool: string) => functions.get(tool)!.statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
    const objectActions = (tool: string) =>
      s3(tool)
        .filter((s) => JSON.stringify(s.Resource).includes('/documents/*'))
        .flatMap((s) => [s.Action].flat())
        .sort();
    expect(objectActions('read_document')).toEqual(['s3:GetObject']);
    expect(objectActions('delete_document')).toEqual(['s3:DeleteObject', 's3:GetObject']);
    for (const tool of ['read_document', 'delete_document']) {
      // Only ListBucket reaches beyond documents/*, and only on the bucket itself (no object actions).
      expect(
        s3(tool)
          .filter((s) => !JSON.stringify(s.Resource).includes('/documents/*'))
          .map((s) => [s.Action].flat()),
      ).toEqual([['s3:ListBucket']]);
    }
    for (const tool of ['lookup_order', 'fetch_url', 'send_email', 'create_ticket']) expect(s3(tool)).toEqual([]);
    const ses = functions.get('send_email')!.statements.filter((s) => [s.Action].flat().includes('ses:SendEmail'));
    expect(JSON.stringify(ses)).toContain(':identity/agent@example.com');
    for (const [tool, { statements }] of functions) if (tool !== 'send_email') expect(JSON.stringify(statements)).not.toContain('ses:');
  });

  it('keeps every table encrypted with point-in-time recovery, and TTL on the guard state', () => {
    const tables = ofType('AWS::DynamoDB::Table');
    expect(tables).toHaveLength(9);
    for (const [, table] of tables) {
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      });
    }
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
  });

  it('blocks public access, encrypts and requires TLS on the documents bucket, and sets log retention', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: Match.anyValue(),
      LoggingConfiguration: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    for (const [, group] of ofType('AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(30);
  });
});

describe('the agent loop', () => {
  it('is a Standard workflow with logging (no execution data) and tracing', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('has the states of the diagram, retries only Lambda service errors and the model throttling, and waits for a token on approvals', () => {
    const asl = definitionFromTemplate(resources) as unknown as {
      StartAt: string;
      States: Record<
        string,
        {
          Type: string;
          Retry?: Array<{ ErrorEquals: string[] }>;
          Resource?: string;
          TimeoutSeconds?: number;
          ItemProcessor?: {
            States: Record<string, { Resource?: string; TimeoutSeconds?: number; Retry?: Array<{ ErrorEquals: string[] }> }>;
          };
        }
      >;
    };
    expect(asl.StartAt).toBe('CallModel');
    expect(Object.keys(asl.States).sort()).toEqual([
      'ApproveTools',
      'CallModel',
      'ExecuteTools',
      'MarkFailed',
      'Route',
      'RunEnded',
      'RunFailed',
    ]);
    const retried = (asl.States.CallModel?.Retry ?? []).flatMap((r) => r.ErrorEquals);
    expect(retried.every((e) => e.startsWith('Lambda.') || e === 'ModelThrottledError' || e === 'AuditSealError')).toBe(true);
    // A run that ended without its last seal is taken again (found by the fault simulation: nothing else would seal it).
    expect(retried).toContain('AuditSealError');
    // Marking a run failed is retried on any error: an execution that ended without it would leave the run RUNNING.
    expect((asl.States.MarkFailed?.Retry ?? []).flatMap((r) => r.ErrorEquals)).toContain('States.ALL');
    const approval = asl.States.ApproveTools?.ItemProcessor?.States.RequestApproval;
    expect(approval?.Resource).toContain('waitForTaskToken');
    // A failed request is taken again twice; the wait's own timeout never (that is the approval's expiry).
    expect((approval?.Retry ?? []).map((r) => [r.ErrorEquals, (r as { MaxAttempts?: number }).MaxAttempts]).slice(-2)).toEqual([
      [['States.Timeout'], 0],
      [['States.ALL'], 2],
    ]);
    // The approvals store expires the approval after an hour; the task waits a minute longer (APPROVAL_TASK_GRACE_SECONDS).
    expect(approval?.TimeoutSeconds).toBe(3600 + 60);
    const execute = asl.States.ExecuteTools?.ItemProcessor?.States ?? {};
    expect(Object.keys(execute).sort()).toEqual(['InvokeTool', 'ToolCrashed']);
    // Every answer of the Map names its call, the crash included: CallModel pairs them by call id.
    expect((execute.ToolCrashed as { Parameters?: unknown }).Parameters).toMatchObject({
      result: { ok: false, error: TOOL_CRASHED_FAILURE, 'callId.$': '$.invocation.callId' },
    });
  });

  it('times CallModel out after its function, and the function after the model request, so a late answer cannot land', () => {
    const asl = definitionFromTemplate(resources) as unknown as { States: Record<string, { TimeoutSeconds?: number }> };
    const [, fn] = ofType('AWS::Lambda::Function').find(([, f]) =>
      String(f.Properties.Description).startsWith('Agent loop: calls the model'),
    )!;
    const functionTimeout = Number(fn.Properties.Timeout);
    expect(functionTimeout * 1000).toBeGreaterThan(MODEL_REQUEST_TIMEOUT_MS);
    expect(asl.States.CallModel?.TimeoutSeconds).toBeGreaterThan(functionTimeout);
  });

  it('may invoke only the tool and orchestration functions', () => {
    const [roleId] = ofType('AWS::IAM::Role').find(([, r]) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('states.amazonaws.com'),
    )!;
    const invoked = ofType('AWS::IAM::Policy')
      .filter(([, p]) => refsIn(p.Properties.Roles).includes(roleId))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Array<{ Action: string | string[]; Resource: unknown }> }).Statement)
      .filter((st) => [st.Action].flat().includes('lambda:InvokeFunction'))
      .flatMap((st) => refsIn(st.Resource));
    const functions = ofType('AWS::Lambda::Function')
      .filter(([, fn]) => !/^(HTTP API|MCP)/.test(String(fn.Properties.Description)))
      .map(([id]) => id);
    expect(new Set(invoked)).toEqual(new Set(functions));
    expect(functions).toHaveLength(toolCatalog.tools.length + 2);
  });
});

describe('the front door', () => {
  it('has a Cognito pool with the four groups, MFA required and no self sign-up', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    expect(
      ofType('AWS::Cognito::UserPoolGroup')
        .map(([, g]) => g.Properties.GroupName)
        .sort(),
    ).toEqual(['admin', 'approver', 'operator', 'user']);
  });

  it('puts every route behind the Cognito authorizer except /health and the signed Slack callback', () => {
    const paths = new Map(ofType('AWS::ApiGateway::Resource').map(([id, r]) => [id, String(r.Properties.PathPart)]));
    const methods = ofType('AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod !== 'OPTIONS');
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
    // Each route's method, plus ANY so that a wrong method gets the router's 405: 19 resources (health, tools, runs (GET and
    // POST), a run, its audit, its audit's verify, its trace, its path, usage, budgets, the audit search, a user's MCP label
    // (GET and DELETE), MCP, its metadata (two forms), approvals, an approval (GET and POST), its delegation, Slack).
    expect(methods).toHaveLength(41);
    expect(methods.filter(([, m]) => m.Properties.HttpMethod === 'ANY')).toHaveLength(19);
  });

  it('throttles the stage and keeps bodies out of its logs', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100, DataTraceEnabled: false, LoggingLevel: 'INFO' }),
      ]),
      AccessLogSetting: Match.anyValue(),
    });
  });

  it('lets the API function start executions and answer task tokens with a decision, and nothing else of the state machine', () => {
    const [, api] = ofType('AWS::Lambda::Function').find(([, fn]) => String(fn.Properties.Description).startsWith('HTTP API'))!;
    const role = refsIn(api.Properties.Role)[0];
    const actions = ofType('AWS::IAM::Policy')
      .filter(([, p]) => refsIn(p.Properties.Roles).includes(role as string))
      .flatMap(([, p]) =>
        (p.Properties.PolicyDocument as { Statement: Array<{ Action: string | string[] }> }).Statement.flatMap((st) => [st.Action].flat()),
      )
      .filter((a) => a.startsWith('states:'));
    // A decision is a task's success (a denial too: the loop reads it); never a failure or a heartbeat.
    expect(actions.sort()).toEqual(['states:SendTaskSuccess', 'states:StartExecution']);
  });

  it('sends the API function the sweep of undelivered decisions every minute, and lets it read their index of the approvals table', () => {
    const [apiId, api] = ofType('AWS::Lambda::Function').find(([, fn]) => String(fn.Properties.Description).startsWith('HTTP API'))!;
    const sweeps = ofType('AWS::Events::Rule').filter(([, rule]) =>
      (rule.Properties.Targets as Array<{ Arn: unknown; Input?: string }>).some(
        (t) => refsIn(t.Arn).includes(apiId) && t.Input === JSON.stringify({ deliverDecisions: true }),
      ),
    );
    expect(sweeps.map(([, rule]) => rule.Properties.ScheduleExpression)).toEqual(['rate(1 minute)']);
    const [approvalsId, approvals] = ofType('AWS::DynamoDB::Table').find(([id]) => tableIdOf(id) === 'Approvals')!;
    expect(approvals.Properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'Undelivered',
        KeySchema: [{ AttributeName: 'undelivered', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ]);
    const role = refsIn(api.Properties.Role)[0];
    const onIndex = ofType('AWS::IAM::Policy')
      .filter(([, p]) => refsIn(p.Properties.Roles).includes(role as string))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Array<{ Action: string | string[]; Resource: unknown }> }).Statement)
      .filter((st) => JSON.stringify(st.Resource).includes('/index/Undelivered'));
    expect(onIndex.map((st) => [st.Action].flat())).toEqual([['dynamodb:Query']]);
    expect(refsIn(onIndex[0]?.Resource)).toContain(approvalsId);
  });
});

describe('what is watched', () => {
  it('has a dashboard and, per tool, a breaker-open alarm and an error-ratio alarm, plus approvals expiring and failed and throttled executions', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const alarms = ofType('AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(toolCatalog.tools.length * 2 + 3);
    expect(
      alarms.some(([, a]) => a.Properties.MetricName === 'Approvals' && JSON.stringify(a.Properties.Dimensions).includes('expired')),
    ).toBe(true);
    const breakerAlarms = alarms.filter(([, a]) => a.Properties.MetricName === 'BreakerTransitions');
    expect(
      breakerAlarms
        .map(([, a]) => (a.Properties.Dimensions as Array<{ Name: string; Value: string }>).find((d) => d.Name === 'tool')?.Value)
        .sort(),
    ).toEqual(toolCatalog.tools.map((t) => t.name).sort());
    expect(breakerAlarms[0]?.[1].Properties).toMatchObject({
      Namespace: 'GuardedAgents',
      Dimensions: expect.arrayContaining([
        { Name: 'state', Value: 'OPEN' },
        { Name: 'service', Value: 'guarded-agents' },
      ]),
    });
    expect(alarms.filter(([, a]) => JSON.stringify(a.Properties.Metrics ?? '').includes('errors / calls'))).toHaveLength(
      toolCatalog.tools.length,
    );
  });
});

describe('Slack', () => {
  it('is off by default, and when on keeps its secret in Secrets Manager, readable only by the approval, model (expiry), API and MCP functions', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    const app = testApp();
    const stack = new GuardedAgentsStack(app, 'WithSlack', { senderEmail: 'agent@example.com', slackChannel: 'C123ABC456' });
    attachNagPacks(app);
    app.synth();
    const withSlack = Template.fromStack(stack);
    withSlack.resourceCountIs('AWS::SecretsManager::Secret', 1);
    const json = withSlack.toJSON().Resources as typeof resources;
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
    expect(JSON.stringify(template.toJSON())).not.toContain('cognito-idp:ListUsers');
  });
});

describe('deploying', () => {
  it('carries the recommended feature flags of the installed aws-cdk-lib in cdk.json, as cdk init writes them', () => {
    const recommended = JSON.parse(
      readFileSync(join(REPO_ROOT, 'node_modules/aws-cdk-lib/recommended-feature-flags.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(Object.keys(recommended).length).toBeGreaterThan(50);
    expect(cdkJsonContext()).toMatchObject(recommended);
  });

  it('outputs what the README tells a deployer to use next', () => {
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual([
      'AlarmTopicArn',
      'ApiUrl',
      'DashboardName',
      'DashboardUrl',
      'DocumentsBucketName',
      'UserPoolClientId',
      'UserPoolId',
    ]);
  });

  it('has an app client without a secret that signs in with a password and TOTP', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  it('sends every alarm, and its recovery, to the alarm topic', () => {
    const [topicId] = ofType('AWS::SNS::Topic')[0]!;
    for (const [id, alarm] of ofType('AWS::CloudWatch::Alarm')) {
      expect(refsIn(alarm.Properties.AlarmActions), id).toEqual([topicId]);
      expect(refsIn(alarm.Properties.OKActions), id).toEqual([topicId]);
    }
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    const app = testApp();
    const stack = new GuardedAgentsStack(app, 'WithEmail', { senderEmail: 'agent@example.com', alarmEmail: 'oncall@example.com' });
    attachNagPacks(app);
    // cdk-nag clean with the subscription too (-c alarmEmail once failed the synth on its redrive policy).
    expect(() => app.synth()).not.toThrow();
    const withEmail = Template.fromStack(stack);
    withEmail.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });

  it('leaves send_email out, and says so, when no verified sender is given', () => {
    const app = testApp();
    const stack = new GuardedAgentsStack(app, 'NoSender');
    const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function');
    const described = Object.values(fns).map((f) => String((f as { Properties: { Description: string } }).Properties.Description));
    expect(described.some((d) => d.includes('send_email'))).toBe(false);
    expect(described.some((d) => d.includes('lookup_order'))).toBe(true);
    expect(JSON.stringify(app.synth().getStackByName('NoSender').messages)).toContain('-c senderEmail=');
  });

  it('grants a foundation model directly, and a cross-Region inference profile through the profile only', () => {
    const bedrockStatements = (modelId?: string) => {
      const app = testApp();
      const t = Template.fromStack(
        new GuardedAgentsStack(app, `B${(modelId ?? 'default').replaceAll(/[^A-Za-z0-9]/g, '')}`, {
          senderEmail: 'a@example.com',
          ...(modelId ? { bedrockModelId: modelId } : {}),
        }),
      );
      return Object.values(t.findResources('AWS::IAM::Policy'))
        .flatMap(
          (p) =>
            (p as { Properties: { PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown; Condition?: unknown }> } } })
              .Properties.PolicyDocument.Statement,
        )
        .filter((st) => JSON.stringify(st.Action).includes('bedrock:'));
    };
    const direct = bedrockStatements();
    expect(direct).toHaveLength(1);
    expect(JSON.stringify(direct[0]!.Resource)).toContain(':foundation-model/amazon.nova-lite-v1:0');
    const profile = bedrockStatements('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(profile).toHaveLength(2);
    expect(JSON.stringify(profile[0]!.Resource)).toContain(':inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(JSON.stringify(profile[1]!.Resource)).toContain('bedrock:*::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(JSON.stringify(profile[1]!.Condition)).toContain('bedrock:InferenceProfileArn');
    const global = bedrockStatements('global.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(JSON.stringify(global[1]!.Resource)).toContain('bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0');
  });
});

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

describe('traces', () => {
  /** Each function's environment and the actions its role may use, by its description's first words. */
  const functionsOf = (stack: Stack) => {
    const json = Template.fromStack(stack).toJSON().Resources as typeof resources;
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

describe('the audit archive', () => {
  it('is off by default: no Object Lock bucket, no function told of one', () => {
    const stack = new GuardedAgentsStack(testApp(), 'NoArchive', { senderEmail: 'agent@example.com' });
    const json = Template.fromStack(stack).toJSON();
    expect(
      Object.values(json.Resources as Record<string, { Properties?: Record<string, unknown> }>).some(
        (r) => r.Properties?.ObjectLockEnabled,
      ),
    ).toBe(false);
    expect(JSON.stringify(json)).not.toContain('AUDIT_ARCHIVE_BUCKET');
    // Nor an S3 client in CallModel's or the API's bundle: their entries leave the archive out.
    for (const entry of stack.agent.entries.values()) expect(readFileSync(entry, 'utf8')).not.toContain('auditArchiveFromEnv');
  });

  it('when on, locks each finished run’s chain and each seal’s anchor in compliance mode; CallModel may only put under runs/, the API only get and list there; cdk-nag clean', () => {
    const app = testApp();
    const stack = new GuardedAgentsStack(app, 'Archived', { senderEmail: 'agent@example.com', auditArchiveDays: 365 });
    attachNagPacks(app);
    app.synth();
    const template = Template.fromStack(stack);
    const bucket = stack.getLogicalId(stack.agent.auditArchive?.node.defaultChild as never);
    const resource = template.toJSON().Resources[bucket];
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } } },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect(template.toJSON().Outputs.AuditArchiveBucketName.Value).toEqual({ Ref: bucket });
    const archiveStatements = (description: string) => {
      const json = template.toJSON().Resources as typeof resources;
      const [, fn] = Object.entries(json).find(
        ([, r]) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.Description).startsWith(description),
      )!;
      expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.AUDIT_ARCHIVE_BUCKET).toEqual({ Ref: bucket });
      const role = refsIn(fn.Properties.Role)[0] as string;
      return Object.values(json)
        .filter((r) => r.Type === 'AWS::IAM::Policy' && refsIn(r.Properties.Roles).includes(role))
        .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Array<{ Action: string | string[]; Resource: unknown }> }).Statement)
        .filter((statement) => JSON.stringify(statement.Resource).includes(bucket));
    };
    const onRuns = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/runs/*']] };
    expect(archiveStatements('Agent loop: calls the model')).toEqual([
      expect.objectContaining({ Action: 's3:PutObject', Resource: onRuns }),
    ]);
    // The API reads, and lists only under runs/ (a run's anchors).
    expect(archiveStatements('HTTP API')).toEqual([
      expect.objectContaining({ Action: 's3:GetObject', Resource: onRuns }),
      expect.objectContaining({
        Action: 's3:ListBucket',
        Resource: { 'Fn::GetAtt': [bucket, 'Arn'] },
        Condition: { StringLike: { 's3:prefix': ['runs/*'] } },
      }),
    ]);
    // Written once, by anyone: a put without If-None-Match, which could stack a forged version, is denied by the bucket.
    const bucketPolicy = Object.values(template.toJSON().Resources as typeof resources).find(
      (r) => r.Type === 'AWS::S3::BucketPolicy' && JSON.stringify(r.Properties.Bucket).includes(bucket),
    );
    expect((bucketPolicy?.Properties.PolicyDocument as { Statement: unknown[] }).Statement).toContainEqual(
      expect.objectContaining({
        Sid: 'WriteOnceOnly',
        Effect: 'Deny',
        Action: 's3:PutObject',
        Resource: onRuns,
        Condition: { Null: { 's3:if-none-match': 'true' } },
      }),
    );
    const entries = stack.agent.entries;
    for (const fn of ['CallModel', 'Api']) expect(readFileSync(entries.get(fn) as string, 'utf8')).toContain('auditArchiveFromEnv()');
  });

  it('refuses a retention under a day', () => {
    expect(() => new GuardedAgentsStack(testApp(), 'Short', { auditArchiveDays: 0 })).toThrow(/at least one day/);
  });
});

describe('the front door', () => {
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

describe('run budgets', () => {
  const tools = () => [toolCatalog.resolve('fetch_url')!];
  const agent = (props: Partial<ConstructorParameters<typeof GuardedAgent>[2]>) =>
    new GuardedAgent(new Stack(testApp(), 'Budgets'), 'A', { tools: tools(), toolsDir: 'functions/tools', ...props });
  it('tells the API the caps and CallModel and the API the prices, checked at synth', () => {
    const built = agent({ runBudget: { toolCalls: 50, usd: 2 }, modelPrices: { inputPerMillion: 3, outputPerMillion: 15 } });
    const fns = Object.values(Template.fromStack(Stack.of(built)).toJSON().Resources as typeof resources).filter(
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
    Object.entries(template.toJSON().Resources as typeof resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
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
    const alarms = Object.values(template.toJSON().Resources as typeof resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms.filter((a) => a.Properties.MetricName === 'BudgetAlarms')).toHaveLength(1);
    const dashboard = JSON.stringify(
      Object.values(template.toJSON().Resources as typeof resources).find((r) => r.Type === 'AWS::CloudWatch::Dashboard'),
    );
    expect(dashboard).toContain("filter message = 'model call'");
    expect(dashboard).toContain('stats count(*) as calls by userId, tool');
  });

  it('without budgets: no counters to write, no budget alarm, and the spend widgets still read the logs', () => {
    const template = templateOf({});
    expect(envOf(template, 'Agent loop: calls the model').SPEND_BUDGETS).toBeUndefined();
    const alarms = Object.values(template.toJSON().Resources as typeof resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
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

describe('approval escalation (approvalEscalation)', () => {
  const build = (props: Partial<ConstructorParameters<typeof GuardedAgent>[2]>) =>
    Template.fromStack(
      Stack.of(
        new GuardedAgent(new Stack(testApp(), 'Escalation'), 'A', {
          tools: [toolCatalog.resolve('delete_document')!, toolCatalog.resolve('lookup_order')!],
          toolsDir: 'functions/tools',
          documents: true,
          dataTables: Object.values(demoTableSpecs),
          ...props,
        }),
      ),
    );

  it('sweeps every minute, tells RequestApproval, the API and the tools that check approvals, and creates the group', () => {
    const template = build({ approvalEscalation: { after: Duration.minutes(20), group: 'oncall' } });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Input: '{"sweep":true}' })],
    });
    const fns = Object.values(template.toJSON().Resources as typeof resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    const envOf = (prefix: string) =>
      (
        fns.find((f) => String(f.Properties.Description).startsWith(prefix))!.Properties.Environment as {
          Variables: Record<string, string>;
        }
      ).Variables;
    expect(JSON.parse(envOf('Agent loop: records an approval').APPROVAL_ESCALATION!)).toEqual({ afterSeconds: 1200, group: 'oncall' });
    expect(JSON.parse(envOf('HTTP API').APPROVAL_ESCALATION!)).toEqual({ afterSeconds: 1200, group: 'oncall' });
    expect(envOf('Tool delete_document').APPROVAL_ESCALATION_GROUP).toBe('oncall');
    expect(envOf('Tool lookup_order').APPROVAL_ESCALATION_GROUP).toBeUndefined();
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'oncall' });
  });

  it('refuses at synth an escalation that would come after the approval expired', () => {
    expect(() => build({ approvalEscalation: { after: Duration.hours(2), group: 'oncall' } })).toThrow(
      /must be shorter than approvalTimeout/,
    );
    expect(() => build({ approvalEscalation: { after: Duration.minutes(5), group: 'on call!' } })).toThrow(
      /approvalEscalation is not valid/,
    );
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

describe('policies (Cedar)', () => {
  const withPolicies = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'policies-'));
    writeFileSync(join(dir, 'team.cedar'), text);
    return () =>
      new GuardedAgent(new Stack(testApp(), 'Policies'), 'A', {
        tools: toolCatalog.tools.filter((tool) => tool.name === 'fetch_url'),
        toolsDir: 'functions/tools',
        policies: dir,
      });
  };

  it('fails synth on a policy that names an unknown argument, with its file and line', () => {
    expect(
      withPolicies(
        '// team rules\n\nforbid (principal, action == GuardedAgents::Action::"fetch_url", resource)\nwhen { context.arguments.address like "*evil*" };\n',
      ),
    ).toThrow(/team\.cedar:4: .*address/);
    expect(withPolicies('forbid (principal, action, resource) when {')).toThrow(/team\.cedar:1: /);
  });

  it('validates the files at synth and exposes them to the local system, named from the project root', () => {
    const agent = withPolicies(
      '@id("no-fetch-after-untrusted")\nforbid (principal, action == GuardedAgents::Action::"fetch_url", resource)\nwhen { context.label.untrusted };\n',
    )();
    expect(agent.policies?.count).toBe(1);
    expect(agent.policies?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(agent.policies?.sources[0]?.file).toMatch(/team\.cedar$/);
  });
});
