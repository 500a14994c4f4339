import { join } from 'node:path';
import { Annotations, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { demoTableSpecs } from '../functions/demo-data/demo-tables.ts';
import { toolCatalog } from '../functions/tools/catalog.ts';
import type { AnyTool } from '../shared/tool/index.ts';
import type { AgentTracing } from './guarded-agent/agent-tracing.ts';
import { GuardedAgent, type GuardedAgentProps } from './guarded-agent/guarded-agent.ts';
import type { SpendBudgets } from '../shared/budgets/index.ts';

export interface GuardedAgentsStackProps extends StackProps {
  /**
   * Verified SES identity `send_email` sends from. There is no safe placeholder for it: without
   * one, `send_email` is left out of the deployment (the synth says so).
   * @default send_email not deployed
   */
  readonly senderEmail?: string;
  /** Slack channel for approval requests (off when absent). */
  readonly slackChannel?: string;
  /** Subscribe this address to the alarm topic. @default no subscription */
  readonly alarmEmail?: string;
  /** A Bedrock model or cross-Region inference profile id. @default 'amazon.nova-lite-v1:0' */
  readonly bedrockModelId?: string;
  /** Create the account-wide API Gateway logging role (replaces an existing one). @default true */
  readonly apiGatewayCloudWatchRole?: boolean;
  /** The tools to deploy. @default the demo catalog (functions/tools/catalog.ts) */
  readonly tools?: readonly AnyTool[];
  /** OpenTelemetry traces of each run (docs/tracing.md). @default off */
  readonly tracing?: AgentTracing;
  /** Copy finished runs' audit chains to an Object Lock bucket, locked this many days (docs/operations.md, "For operators"). @default no archive */
  readonly auditArchiveDays?: number;
  /** Budgets per user and tenant over days and months (GuardedAgent's `spendBudgets`). @default none */
  readonly spendBudgets?: SpendBudgets;
  /** Approvals that waited this long offered to a second group (GuardedAgent's `approvalEscalation`). @default none */
  readonly approvalEscalation?: GuardedAgentProps['approvalEscalation'];
  /** How long a user's MCP label lasts (GuardedAgent's `mcpLabelLifetime`). @default 24 hours */
  readonly mcpLabelLifetime?: GuardedAgentProps['mcpLabelLifetime'];
  /** MCP's authorization flow (GuardedAgent's `mcpOAuth`). @default none */
  readonly mcpOAuth?: GuardedAgentProps['mcpOAuth'];
  /** A folder of Cedar policies (-c policies=DIR): GuardedAgent's `policies`. */
  readonly policies?: string;
}

/**
 * The names of the stack's outputs: what docs/deploying.md tells a deployer to use next. One source, so
 * the commands in docs/deploying.md and `npm run token` read the same names the stack writes.
 */
export const StackOutput = {
  API_URL: 'ApiUrl',
  USER_POOL_ID: 'UserPoolId',
  USER_POOL_CLIENT_ID: 'UserPoolClientId',
  DASHBOARD_NAME: 'DashboardName',
  DASHBOARD_URL: 'DashboardUrl',
  ALARM_TOPIC_ARN: 'AlarmTopicArn',
  DOCUMENTS_BUCKET: 'DocumentsBucketName',
  SLACK_SECRET_ARN: 'SlackSecretArn',
  MODEL_API_KEY_SECRET_ARN: 'ModelApiKeySecretArn',
  TRACING_HEADERS_SECRET_ARN: 'TracingHeadersSecretArn',
  AUDIT_ARCHIVE_BUCKET: 'AuditArchiveBucketName',
  MCP_OAUTH_CLIENT_ID: 'McpOAuthClientId',
  OAUTH_DOMAIN_URL: 'OAuthDomainUrl',
} as const;

/** The demo deployment: the nine demo tools and their stores. A thin composition of GuardedAgent. */
export class GuardedAgentsStack extends Stack {
  readonly agent: GuardedAgent;

  constructor(scope: Construct, id: string, props: GuardedAgentsStackProps = {}) {
    super(scope, id, props);
    const declared = props.tools ?? toolCatalog.tools;
    const tools = declared.filter((tool) => props.senderEmail || !tool.resources?.some((r) => r.kind === 'email'));
    if (tools.length < declared.length) {
      Annotations.of(this).addWarningV2(
        'guarded-agents:no-sender',
        'send_email is not deployed: give a verified SES identity with -c senderEmail=you@example.com to deploy it.',
      );
    }
    this.agent = new GuardedAgent(this, 'Agent', {
      tools,
      toolsDir: join(import.meta.dirname, '..', 'functions', 'tools'),
      dataTables: Object.values(demoTableSpecs),
      documents: true,
      ...(props.senderEmail ? { senderEmail: props.senderEmail } : {}),
      ...(props.slackChannel ? { slack: { channel: props.slackChannel } } : {}),
      ...(props.alarmEmail ? { alarmEmail: props.alarmEmail } : {}),
      ...(props.bedrockModelId ? { bedrockModelId: props.bedrockModelId } : {}),
      ...(props.apiGatewayCloudWatchRole === undefined ? {} : { apiGatewayCloudWatchRole: props.apiGatewayCloudWatchRole }),
      ...(props.tracing ? { tracing: props.tracing } : {}),
      ...(props.auditArchiveDays === undefined ? {} : { auditArchive: { retention: Duration.days(props.auditArchiveDays) } }),
      ...(props.spendBudgets ? { spendBudgets: props.spendBudgets } : {}),
      ...(props.approvalEscalation ? { approvalEscalation: props.approvalEscalation } : {}),
      ...(props.mcpLabelLifetime ? { mcpLabelLifetime: props.mcpLabelLifetime } : {}),
      ...(props.mcpOAuth ? { mcpOAuth: props.mcpOAuth } : {}),
      ...(props.policies ? { policies: props.policies } : {}),
    });

    const output = (name: string, value: string, description: string) => new CfnOutput(this, name, { value, description });
    const { api, dashboard } = this.agent;
    output(StackOutput.API_URL, api.api.url, 'The HTTP API (DESIGN.md routes); every route but /health needs a Cognito ID token');
    output(StackOutput.USER_POOL_ID, api.userPool.userPoolId, 'Cognito user pool: invite people and put them in groups here');
    output(StackOutput.USER_POOL_CLIENT_ID, api.userPoolClient.userPoolClientId, 'App client that npm run token signs in through');
    output(StackOutput.DASHBOARD_NAME, dashboard.dashboard.dashboardName, 'CloudWatch dashboard');
    output(
      StackOutput.DASHBOARD_URL,
      `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${dashboard.dashboard.dashboardName}`,
      'CloudWatch dashboard in the console',
    );
    output(StackOutput.ALARM_TOPIC_ARN, dashboard.alarmTopic.topicArn, 'Every alarm notifies this SNS topic: subscribe to it');
    if (this.agent.documents)
      output(StackOutput.DOCUMENTS_BUCKET, this.agent.documents.bucketName, 'Documents bucket (the document tools read documents/ in it)');
    if (this.agent.slackSecret)
      output(
        StackOutput.SLACK_SECRET_ARN,
        this.agent.slackSecret.secretArn,
        'Fill in: JSON { "signingSecret": "...", "botToken": "xoxb-..." }',
      );
    if (this.agent.tracingHeaders)
      output(
        StackOutput.TRACING_HEADERS_SECRET_ARN,
        this.agent.tracingHeaders.secretArn,
        'Fill in: the headers for your OTLP collector, e.g. x-api-key=...',
      );
    if (this.agent.auditArchive)
      output(StackOutput.AUDIT_ARCHIVE_BUCKET, this.agent.auditArchive.bucketName, "Object Lock bucket of finished runs' audit chains");
    if (api.mcpOAuthClient)
      output(StackOutput.MCP_OAUTH_CLIENT_ID, api.mcpOAuthClient.userPoolClientId, 'The client id MCP clients sign in with (OAuth, PKCE)');
    if (api.oauthDomainUrl) output(StackOutput.OAUTH_DOMAIN_URL, api.oauthDomainUrl, "The user pool's hosted sign-in (MCP's OAuth flow)");
    if (this.agent.modelApiKey)
      output(StackOutput.MODEL_API_KEY_SECRET_ARN, this.agent.modelApiKey.secretArn, 'Fill in: the model server API key (the bare key)');
  }
}
