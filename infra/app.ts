/**
 * The CDK app. `npx cdk synth` and `npm run synth` both write cdk.out, offline (no AWS
 * credentials needed), with cdk-nag's AwsSolutions and Serverless packs run as policy validation:
 * any unacknowledged finding fails it.
 */
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { createApp, REPO_ROOT } from './cdk-app.ts';
import { GuardedAgentsStack } from './guarded-agents-stack.ts';
import { attachNagPacks } from './nag-acknowledgements.ts';
import type { SpendBudgets } from '../shared/budgets/index.ts';

// Under the CDK CLI, CDK_OUTDIR names the folder; run directly (npm run synth), cdk.out as well.
const app = createApp({ outdir: process.env.CDK_OUTDIR ?? join(REPO_ROOT, 'cdk.out') });
// Deploy-time settings come as context (-c name=value); docs/deploying.md lists them.
const context = (name: string) => app.node.tryGetContext(name) as string | undefined;
// Traces: -c tracing=xray (X-Ray's OTLP endpoint) and/or -c otlpEndpoint=https://…/v1/traces (-c otlpHeaders=true: a secret
// for its headers); -c traceContent=true adds content, redacted.
const otlpEndpoint = context('otlpEndpoint');
const traced = context('tracing') === 'xray' || otlpEndpoint !== undefined;
const auditArchiveDays = (value: string): number => {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1) throw new Error(`-c auditArchiveDays must be a whole number of days, 1 or more; got "${value}"`);
  return days;
};
// -c spendBudgets='{"limits":[...]}': budgets per user and tenant over days and months (GuardedAgent's spendBudgets; checked at synth).
const spendBudgets = (value: string): SpendBudgets => {
  try {
    return JSON.parse(value) as SpendBudgets;
  } catch {
    throw new Error(`-c spendBudgets must be JSON like {"limits":[{"scope":"user","window":"day","toolCalls":200}]}; got "${value}"`);
  }
};
// -c escalationGroup=oncall -c escalateAfterMinutes=30: approvals that waited that long offered to the group too.
const escalationGroup = context('escalationGroup');
const escalateAfter = (value: string | undefined): Duration => {
  const minutes = Number(value ?? 30);
  if (!Number.isInteger(minutes) || minutes < 1)
    throw new Error(`-c escalateAfterMinutes must be a whole number of minutes, 1 or more; got "${value}"`);
  return Duration.minutes(minutes);
};
new GuardedAgentsStack(app, 'GuardedAgents', {
  senderEmail: context('senderEmail'),
  slackChannel: context('slackChannel'),
  alarmEmail: context('alarmEmail'),
  bedrockModelId: context('bedrockModelId'),
  ...(context('apiGatewayCloudWatchRole') === undefined
    ? {}
    : { apiGatewayCloudWatchRole: String(context('apiGatewayCloudWatchRole')) !== 'false' }),
  ...(traced
    ? {
        tracing: {
          xray: context('tracing') === 'xray',
          ...(otlpEndpoint ? { otlpEndpoint, otlpHeaders: String(context('otlpHeaders')) === 'true' } : {}),
          captureContent: String(context('traceContent')) === 'true',
        },
      }
    : {}),
  // -c auditArchiveDays=365: finished runs' audit chains copied to an Object Lock bucket (compliance mode), locked that long.
  ...(context('auditArchiveDays') === undefined ? {} : { auditArchiveDays: auditArchiveDays(String(context('auditArchiveDays'))) }),
  ...(context('spendBudgets') === undefined ? {} : { spendBudgets: spendBudgets(String(context('spendBudgets'))) }),
  ...(escalationGroup
    ? {
        approvalEscalation: {
          after: escalateAfter(context('escalateAfterMinutes')),
          group: escalationGroup,
          ...(context('escalationSlackChannel') ? { slackChannel: String(context('escalationSlackChannel')) } : {}),
        },
      }
    : {}),
  // -c policies=policies: a folder of Cedar policies checked on every tool call (validated here: a bad file fails synth with its line).
  ...(context('policies') === undefined ? {} : { policies: String(context('policies')) }),
  // -c mcpOAuthDomain=<prefix> [-c mcpCallbackUrls=url,url]: MCP's OAuth flow (a Cognito domain, a client for MCP clients).
  ...(context('mcpOAuthDomain')
    ? {
        mcpOAuth: {
          domainPrefix: String(context('mcpOAuthDomain')),
          callbackUrls: String(context('mcpCallbackUrls') ?? 'http://localhost:6274/oauth/callback').split(','),
        },
      }
    : {}),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
attachNagPacks(app);
app.synth();
