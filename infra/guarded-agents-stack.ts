import { join } from 'node:path';
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { demoTableSpecs } from '#functions/demo-data/demo-tables.ts';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { GuardedAgent } from './guarded-agent/guarded-agent.ts';

export interface GuardedAgentsStackProps extends StackProps {
  /** Verified SES identity `send_email` sends from. @default 'agent@example.com' (verify your own before deploying) */
  readonly senderEmail?: string;
  /** Slack channel for approval requests (off when absent). */
  readonly slackChannel?: string;
  /** Slack user id -> { userId, groups } of each approver. */
  readonly slackApprovers?: Record<string, { userId: string; groups: string[] }>;
}

/** The demo deployment: the eight demo tools and their stores. A thin composition of GuardedAgent. */
export class GuardedAgentsStack extends Stack {
  readonly agent: GuardedAgent;

  constructor(scope: Construct, id: string, props: GuardedAgentsStackProps = {}) {
    super(scope, id, props);
    this.agent = new GuardedAgent(this, 'Agent', {
      tools: toolCatalog.tools,
      toolsDir: join(import.meta.dirname, '..', 'functions', 'tools'),
      dataTables: Object.values(demoTableSpecs),
      documents: true,
      senderEmail: props.senderEmail ?? 'agent@example.com',
      ...(props.slackChannel ? { slack: { channel: props.slackChannel, approvers: props.slackApprovers ?? {} } } : {}),
    });
  }
}
