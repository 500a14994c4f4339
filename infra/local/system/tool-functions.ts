import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { DynamoDbApprovalReader } from '../../../shared/approval/index.ts';
import { createGuardedHandler, type GuardedHandler, type PipelinePolicies } from '../../../shared/pipeline/index.ts';
import { compilePolicies } from '../../../shared/policies/index.ts';
import { type AnyTool, declarationVersion } from '../../../shared/tool/index.ts';
import type { ToolPolicies } from '../../guarded-agent/generated-entries.ts';
import { toolGuardSettings } from '../../../functions/commons/env/deployment-settings.ts';
import type { GuardedAgent } from '../../guarded-agent/guarded-agent.ts';
import { envOf, toolDepsFrom } from '../tool-deps-loader.ts';
import type { LocalTables } from './data-services.ts';
import type { FunctionRoles } from './function-roles.ts';

/** A Lambda context for one invocation of a tool function: its own request id, a 30 s countdown. */
const lambdaContext = (name: string): Context => {
  const deadline = Date.now() + 30_000;
  return {
    awsRequestId: randomUUID(),
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: name,
    memoryLimitInMB: '256',
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
};

/** The policies one tool's function holds, as its generated entry compiles them: those that apply to it, under the set's hash. */
const toolPoliciesOf = async (policies: ToolPolicies, tool: AnyTool): Promise<PipelinePolicies> =>
  policies.sources.length === 0
    ? { hash: policies.hash }
    : { hash: policies.hash, set: await compilePolicies(policies.sources, [tool], { validate: false, hash: policies.hash }) };

/**
 * Step 3: the tools' functions. Each tool's dependencies from its folder's factory, with the
 * environment CDK synthesized for its function and clients acting as its role (as its Lambda
 * builds them), behind the guard pipeline. `invokeTool` is Lambda's Invoke, by tool name.
 */
export const startToolFunctions = async (
  agent: GuardedAgent,
  roles: FunctionRoles,
  { tables }: Pick<LocalTables, 'tables'>,
  fetchImpl: typeof fetch,
) => {
  const tools: Record<string, GuardedHandler> = {};
  for (const tool of agent.tools) {
    const toolClient = roles.clientOf(tool.name);
    try {
      const deps = await toolDepsFrom(agent.toolFolderOf(tool.name), tool, envOf(roles.envOf(tool.name), tool.name), {
        dynamoDb: toolClient,
        ...roles.serviceClientsOf(tool.name),
        fetch: fetchImpl,
      });
      tools[tool.name] = createGuardedHandler({
        tool,
        deps,
        client: toolClient,
        tables,
        approvals: new DynamoDbApprovalReader({ client: toolClient, tableName: tables.approvals }),
        declaration: declarationVersion(tool),
        ...toolGuardSettings(roles.envOf(tool.name)),
        ...(agent.policies ? { policies: await toolPoliciesOf(agent.policies.forTool(tool.name), tool) } : {}),
      });
    } catch (error) {
      // As a Lambda whose cold start fails (a variable its declaration does not give it): every
      // invocation fails, the state machine catches it, the rest of the system runs.
      const message = error instanceof Error ? error.message : String(error);
      tools[tool.name] = async () => {
        throw Object.assign(new Error(`${tool.name} failed at cold start: ${message}`), { name: 'Runtime.InitError' });
      };
    }
  }
  const invokeTool = async (input: { FunctionName: string; Payload: unknown }) => {
    const handler = tools[input.FunctionName];
    if (!handler) throw Object.assign(new Error(`no function ${input.FunctionName}`), { name: 'Lambda.ResourceNotFoundException' });
    return { Payload: await handler(input.Payload, lambdaContext(input.FunctionName)) };
  };
  return { tools, invokeTool };
};

export type ToolFunctions = Awaited<ReturnType<typeof startToolFunctions>>;
