import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { guardTableSpecs, type TableSpec } from '#shared/tables/table-spec.ts';
import type { AnyTool } from '#shared/tool/define-tool.ts';
import { assertToolsLint } from '#shared/tool/lint/lint-tools.ts';
import { tableFromSpec } from './data-table.ts';
import { DocumentsBucket } from './documents-bucket.ts';
import { ToolFunction } from './tool-function.ts';

export interface GuardedAgentProps {
  /** The tools to deploy: one Lambda each, derived from the declaration. */
  readonly tools: readonly AnyTool[];
  /** Where tool folders live; a tool's Lambda entry is `<toolsDir>/<name with - for _>/index.ts`. */
  readonly toolsDir: string;
  /** Tables the tools' own stores use, referenced by id from their `resources`. @default none */
  readonly dataTables?: readonly TableSpec[];
  /** Create the documents bucket (needed by tools with a `documents` resource). @default false */
  readonly documents?: boolean;
  /** Verified SES identity that tools with an `email` resource send from. Required when one does. */
  readonly senderEmail?: string;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** Lambda time on top of each tool's timeout, for the guards that run after the handler. @default 3 seconds */
  readonly guardHeadroom?: Duration;
  /** @default 'GuardedAgents' */
  readonly metricsNamespace?: string;
  /**
   * What happens to data (tables, bucket) when the stack is deleted. The audit trail and approvals
   * are evidence, so the safe default keeps everything.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A guarded tool-calling agent: the guard tables, the tools' data stores and one guarded Lambda
 * per tool. Tool lint runs here, so a badly declared tool fails the synth with how to fix it.
 *
 * @example
 * new GuardedAgent(stack, 'Agent', { tools: toolCatalog.tools, toolsDir: 'functions/tools', dataTables: Object.values(demoTableSpecs), documents: true, senderEmail: 'agent@example.com' });
 */
export class GuardedAgent extends Construct {
  readonly guardTables: { readonly guard: Table; readonly idempotency: Table; readonly audit: Table; readonly approvals: Table };
  readonly dataTables: ReadonlyMap<string, Table>;
  readonly documents: Bucket | undefined;
  /** The tool Lambdas by tool name. */
  readonly toolFunctions: ReadonlyMap<string, ToolFunction>;

  constructor(scope: Construct, id: string, props: GuardedAgentProps) {
    super(scope, id);
    if (props.tools.length === 0) throw new Error('GuardedAgent needs at least one tool in props.tools');
    assertToolsLint(props.tools);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const entries = new Map(props.tools.map((tool) => [tool.name, join(props.toolsDir, tool.name.replaceAll('_', '-'), 'index.ts')]));
    for (const [name, entry] of entries) {
      if (!existsSync(entry)) throw new Error(`Tool ${name} has no Lambda entry at ${entry}: add index.ts to its folder`);
    }

    const tables = new Construct(this, 'Tables');
    this.guardTables = {
      guard: tableFromSpec(tables, guardTableSpecs.guard, removalPolicy),
      idempotency: tableFromSpec(tables, guardTableSpecs.idempotency, removalPolicy),
      audit: tableFromSpec(tables, guardTableSpecs.audit, removalPolicy),
      approvals: tableFromSpec(tables, guardTableSpecs.approvals, removalPolicy),
    };
    const dataSpecs = props.dataTables ?? [];
    this.dataTables = new Map(dataSpecs.map((spec) => [spec.id, tableFromSpec(tables, spec, removalPolicy)]));
    this.documents = props.documents ? new DocumentsBucket(this, 'Documents', { removalPolicy }).bucket : undefined;

    const dataTables = new Map(dataSpecs.map((spec) => [spec.id, { table: this.dataTables.get(spec.id) as Table, envVar: spec.envVar }]));
    const tools = new Construct(this, 'Tools');
    this.toolFunctions = new Map(
      props.tools.map((tool) => [
        tool.name,
        new ToolFunction(tools, tool.name, {
          tool,
          entry: entries.get(tool.name) as string,
          guardTables: this.guardTables,
          dataTables,
          ...(this.documents ? { documents: this.documents } : {}),
          ...(props.senderEmail ? { senderEmail: props.senderEmail } : {}),
          logRetention: props.logRetention ?? RetentionDays.ONE_MONTH,
          guardHeadroom: props.guardHeadroom ?? Duration.seconds(3),
          metricsNamespace: props.metricsNamespace ?? 'GuardedAgents',
        }),
      ]),
    );
  }
}
