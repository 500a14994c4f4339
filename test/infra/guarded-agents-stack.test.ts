import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { cdkJsonContext, REPO_ROOT } from '../../infra/cdk-app.ts';
import { GuardedAgentsStack } from '../../infra/guarded-agents-stack.ts';
import { attachNagPacks } from '../../infra/nag-acknowledgements.ts';
import { functionsByTool, ofType, refsIn, useDemoStack, tableIdOf, testApp } from './guarded-agent/demo-stack-template.ts';

// The demo stack as `npm run synth` makes it: a function per tool and its grants, the tables and
// the bucket, and what a deployer is given.

const demo = useDemoStack();

describe('GuardedAgentsStack', () => {
  it('deploys one function per tool, on the newest Node runtime, arm64, traced, with the tool timeout plus headroom', () => {
    const functions = functionsByTool(demo.resources);
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
    for (const [tool, { fn, statements }] of functionsByTool(demo.resources)) {
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
    for (const [tool, { statements }] of functionsByTool(demo.resources)) {
      for (const statement of statements.filter((s) => s.Resource === '*')) {
        expect(
          [statement.Action].flat().every((a) => a.startsWith('xray:')),
          `${tool}: ${JSON.stringify(statement.Action)}`,
        ).toBe(true);
      }
    }
  });

  it('scopes S3 to exact actions on the documents prefix (and listing the bucket, so a missing key is a 404) and SES to the sender identity', () => {
    const functions = functionsByTool(demo.resources);
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
    const tables = ofType(demo.resources, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(9);
    for (const [, table] of tables) {
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      });
    }
    demo.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    demo.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
  });

  it('blocks public access, encrypts and requires TLS on the documents bucket, and sets log retention', () => {
    demo.template.hasResourceProperties('AWS::S3::Bucket', {
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
    demo.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    for (const [, group] of ofType(demo.resources, 'AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(30);
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
    expect(Object.keys(demo.template.findOutputs('*')).sort()).toEqual([
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
    demo.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  it('sends every alarm, and its recovery, to the alarm topic', () => {
    const [topicId] = ofType(demo.resources, 'AWS::SNS::Topic')[0]!;
    for (const [id, alarm] of ofType(demo.resources, 'AWS::CloudWatch::Alarm')) {
      expect(refsIn(alarm.Properties.AlarmActions), id).toEqual([topicId]);
      expect(refsIn(alarm.Properties.OKActions), id).toEqual([topicId]);
    }
    demo.template.resourceCountIs('AWS::SNS::Subscription', 0);
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
