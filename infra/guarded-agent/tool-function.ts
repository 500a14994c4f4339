import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { type ToolPolicies, toolReadsApprovals } from './generated-entries.ts';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { AnyTool, ToolResource } from '../../shared/tool/index.ts';
import { acknowledge } from '../nag-acknowledgements.ts';
import { createNodeFunction } from './node-function.ts';
import { ResourceEnv } from '../../functions/commons/tool-deps.ts';
import { grantAccess, grantTableAccess } from './table-grants.ts';
import { guardedHandlerAccess } from '../../shared/pipeline/index.ts';
import { ACCESS_ACTIONS, guardTableSpecs, type DynamoDbAction } from '../../shared/tables/index.ts';
import type { FlowMode } from '../../shared/guards/index.ts';
import * as FunctionEnv from '../../functions/commons/env/function-env.ts';
import type { McpServerEnv } from '../../functions/commons/remote-mcp/deps.ts';

/**
 * The guard tables a tool's function is granted: rate-limit buckets and breakers, idempotency,
 * audit, and approvals for the tools that need them.
 */
export interface GuardTableSet {
  readonly guard: ITable;
  readonly idempotency: ITable;
  readonly audit: ITable;
  readonly approvals: ITable;
}

/**
 * What `ToolFunction` deploys: one tool's declaration, its folder, the guard tables, and the
 * settings its guards read.
 */
export interface ToolFunctionProps {
  readonly tool: AnyTool;
  /** The Lambda entry file (the tool folder's index.ts). */
  readonly entry: string;
  readonly guardTables: GuardTableSet;
  /** The tool's own tables, by logical id, with the env var that names each. */
  readonly dataTables: ReadonlyMap<string, { readonly table: ITable; readonly envVar: string }>;
  readonly documents?: IBucket;
  readonly senderEmail?: string;
  readonly logRetention: RetentionDays;
  /** Lambda time on top of the tool's timeout, for the guards after the handler. */
  readonly guardHeadroom: Duration;
  readonly metricsNamespace: string;
  /** The deployment's information-flow mode, told to sinks (they check the run's label again). */
  readonly informationFlow: FlowMode;
  /** GuardedAgent's `approvalEscalation.group`, told to tools that check approvals (its decisions count once escalated). */
  readonly escalationGroup?: string;
  /** A remote MCP server's tool: its server (checked by mcpServerSettings). */
  readonly mcpServer?: McpServerEnv & { readonly server: string };
  /** The deployment's policies as this tool's function gets them (its entry holds their texts). */
  readonly policies?: ToolPolicies;
}

/**
 * One tool's Lambda, derived from its declaration: the timeout from the tool's, the grants and
 * environment from its `resources`, bundled as measured in infra/lambda-bundling.ts.
 *
 * @example
 * // GuardedAgent makes one per tool; reach a tool's Lambda by the tool's name.
 * const agent = new GuardedAgent(stack, 'Agent', { tools, toolsDir });
 * const lookup = agent.toolFunctions.get('lookup_order')?.function;
 */
export class ToolFunction extends Construct {
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: ToolFunctionProps) {
    super(scope, id);
    const { tool, guardTables } = props;
    // Destructive tools, sinks and tools a policy may ask approval for verify approvals themselves; sinks also check the run's label.
    const sink = tool.reaches === 'external';
    const readsApprovals = toolReadsApprovals(tool, props.policies);
    const environment: Record<string, string> = {
      [guardTableSpecs.guard.envVar]: guardTables.guard.tableName,
      [guardTableSpecs.idempotency.envVar]: guardTables.idempotency.tableName,
      [guardTableSpecs.audit.envVar]: guardTables.audit.tableName,
      ...(readsApprovals ? { [guardTableSpecs.approvals.envVar]: guardTables.approvals.tableName } : {}),
      ...(sink ? { [FunctionEnv.INFORMATION_FLOW.name]: props.informationFlow } : {}),
      ...(readsApprovals && props.escalationGroup ? { [FunctionEnv.APPROVAL_ESCALATION_GROUP.name]: props.escalationGroup } : {}),
    };
    this.function = createNodeFunction(this, 'Function', {
      entry: props.entry,
      description: `Tool ${tool.name} (${tool.risk}) behind the guard pipeline`,
      timeout: Duration.millis(tool.timeoutMs).plus(props.guardHeadroom),
      environment: { ...environment, [FunctionEnv.POWERTOOLS_METRICS_NAMESPACE.name]: props.metricsNamespace },
      logRetention: props.logRetention,
      // A tool a policy applies to evaluates it: Cedar ships beside its bundle (the others load none of it).
      cedar: (props.policies?.sources.length ?? 0) > 0,
    });
    const fn = this.function;
    // Exactly what the guard pipeline's store calls ask for (approvals only for a tool that reads them).
    grantAccess(guardTables, fn, guardedHandlerAccess(tool, { policyApprovals: props.policies?.asksApproval === true }));

    for (const resource of tool.resources) this.#grantResource(resource, props);
  }

  /** What one of the tool's `resources` gives its function: the grant, and the environment variable that names it. */
  #grantResource(resource: ToolResource, props: ToolFunctionProps): void {
    const { tool } = props;
    const fn = this.function;
    switch (resource.kind) {
      case 'table': {
        const data = props.dataTables.get(resource.table);
        if (!data) throw new Error(`Tool ${tool.name} needs table ${resource.table}, which the GuardedAgent was not given in dataTables`);
        fn.addEnvironment(data.envVar, data.table.tableName);
        const allowed: readonly DynamoDbAction[] = ACCESS_ACTIONS[resource.access];
        const outside = (resource.actions ?? []).filter((action) => !allowed.includes(action));
        if (outside.length > 0)
          throw new Error(
            `Tool ${tool.name} names ${outside.join(', ')} for table ${resource.table}, which is not ${resource.access} access: declare access 'readWrite', or drop it from actions`,
          );
        grantTableAccess(data.table, fn, [{ actions: resource.actions ?? allowed }]);
        break;
      }
      case 'documents': {
        this.#grantDocuments(resource, props);
        break;
      }
      case 'email': {
        if (!props.senderEmail)
          throw new Error(`Tool ${tool.name} sends email: set senderEmail on the GuardedAgent (a verified SES identity)`);
        fn.addEnvironment(ResourceEnv.SENDER_EMAIL, props.senderEmail);
        const stack = Stack.of(this);
        const domain = props.senderEmail.split('@')[1] ?? props.senderEmail;
        fn.addToRolePolicy(
          new PolicyStatement({
            effect: Effect.ALLOW,
            actions: ['ses:SendEmail'],
            // SES authorizes against the sender's identity: the address itself, or its verified domain.
            resources: [props.senderEmail, domain].map((identity) =>
              stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
            ),
          }),
        );
        break;
      }
      case 'internet':
        break;
      case 'mcpServer': {
        const server = props.mcpServer;
        if (!server) throw new Error(`Tool ${tool.name} is a tool of MCP server ${resource.server}: give it in GuardedAgent's mcpServers`);
        const { server: _id, ...connection } = server;
        fn.addEnvironment(ResourceEnv.MCP_SERVER, JSON.stringify(connection));
        if (connection.secret) {
          // Reading this one secret, by name: no more than GetSecretValue (grantRead would add DescribeSecret).
          // Its ARN ends in a dash and six random characters, which the name cannot know.
          const secretArn = Stack.of(this).formatArn({
            service: 'secretsmanager',
            resource: 'secret',
            resourceName: `${connection.secret}-??????`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          });
          fn.addToRolePolicy(
            new PolicyStatement({ effect: Effect.ALLOW, actions: ['secretsmanager:GetSecretValue'], resources: [secretArn] }),
          );
        }
        break;
      }
    }
  }

  /** The documents bucket: exact actions on the documents/ prefix, and the listing S3's 404 needs. */
  #grantDocuments(resource: Extract<ToolResource, { kind: 'documents' }>, props: ToolFunctionProps): void {
    const { tool } = props;
    const fn = this.function;
    if (!props.documents) throw new Error(`Tool ${tool.name} needs the documents bucket: set documents: true on the GuardedAgent`);
    fn.addEnvironment(ResourceEnv.DOCUMENTS_BUCKET, props.documents.bucketName);
    // Exact actions on the documents/ prefix: grantRead would add GetBucket*, List* and GetObject*.
    // HeadObject (the delete tool's existence check) is authorized by s3:GetObject.
    fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: resource.access === 'delete' ? ['s3:GetObject', 's3:DeleteObject'] : ['s3:GetObject'],
        resources: [props.documents.arnForObjects('documents/*')],
      }),
    );
    // S3 answers a missing key with 404 only to a caller that may list the bucket; to anyone
    // else with 403 AccessDenied, and the tool would fail (INTERNAL) instead of saying "no such
    // document". The bucket holds only documents/ (its access logs go to a bucket of their own).
    fn.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:ListBucket'], resources: [props.documents.bucketArn] }));
    acknowledge(
      this,
      `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(props.documents.node.defaultChild as CfnBucket)}.Arn>/documents/*]`,
      'Object keys are the documents the tool reads or deletes by path; access is limited to the documents/ prefix of this one bucket.',
    );
  }
}
