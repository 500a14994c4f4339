import { Duration, Stack } from 'aws-cdk-lib';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  Condition,
  CustomState,
  DefinitionBody,
  Fail,
  IntegrationPattern,
  JsonPath,
  LogLevel,
  Map as MapState,
  Pass,
  Result,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Timeout,
  type Chain,
  type TaskStateBase,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { APPROVAL_TASK_GRACE_SECONDS } from '../../shared/approval/index.ts';
import { AUDIT_SEAL_ERROR } from '../../shared/audit/index.ts';
import { TOOL_CRASHED_FAILURE } from '../../shared/tool-result/index.ts';
import { acknowledge } from '../nag-acknowledgements.ts';

/**
 * What `AgentLoop` runs: the CallModel, RequestApproval and tool functions, the iteration limit
 * and the approval timeout.
 */
export interface AgentLoopProps {
  readonly callModel: IFunction;
  /** CallModel's task timeout: longer than the function's own, so the function's end is what is seen. */
  readonly callModelTaskTimeout: Duration;
  readonly requestApproval: IFunction;
  readonly toolFunctions: readonly IFunction[];
  /** How long a destructive call waits for a decision before it ends APPROVAL_EXPIRED. */
  readonly approvalTimeout: Duration;
  readonly logRetention: RetentionDays;
  /** Most tool calls of one turn run at once. @default 8 */
  readonly maxConcurrency?: number;
  /**
   * Every invocation carries the run's history (a deployment with policies: CallModel then sets it on
   * each call), and an approved call's must too: its tool's own policy check reads it. @default false
   */
  readonly history?: boolean;
}

/**
 * The ids of the loop's task states: the state machine names its states by them, and the local
 * system binds its in-process handlers to them, so the two cannot drift.
 */
export const LoopTask = {
  MARK_FAILED: 'MarkFailed',
  CALL_MODEL: 'CallModel',
  INVOKE_TOOL: 'InvokeTool',
  REQUEST_APPROVAL: 'RequestApproval',
  INVOKE_APPROVED: 'InvokeApproved',
} as const;

/** Lambda service errors only: the tools are idempotent on (run, call), so a retry never repeats a side effect. */
const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];
const retryLambdaService = { ErrorEquals: LAMBDA_SERVICE_ERRORS, IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 };

const failureResult = (code: string, message: string, suggestion: string, retryable: boolean) =>
  Result.fromObject({ result: { ok: false, error: { code, message, suggestion, retryable } } });

/**
 * The agent loop, a Standard workflow in JSONPath (so it also runs locally):
 *
 *   1. CallModel   -> hands back the last results, counts the iteration, calls the model, screens its calls
 *   2. Route       -> done: RunEnded | calls awaiting approval: 4 then 3 | else: 3
 *   3. ExecuteTools (Map) -> InvokeTool per screened call -> back to 1
 *   4. ApproveTools (Map) -> RequestApproval (.waitForTaskToken) -> Decided? -> (TakeEditedArguments ->) InvokeApproved | Denied; timeout -> Expired
 *
 * Per iteration with k calls and no approval: CallModel + Route + ExecuteTools + k InvokeTool = 3 + k transitions.
 *
 * @example
 * // GuardedAgent makes it; its state machine is where a run's execution runs.
 * const agent = new GuardedAgent(stack, 'Agent', { tools, toolsDir });
 * agent.loop.stateMachine.grantRead(auditorRole);
 */
export class AgentLoop extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: AgentLoopProps) {
    super(scope, id);
    const callModel = this.#callModel(props);
    const executeTools = this.#executeTools(props);
    executeTools.next(callModel);
    const approveTools = this.#approveTools(props);
    approveTools.next(executeTools);

    // 2. Route.
    const route = new Choice(this, 'Route')
      .when(Condition.booleanEquals('$.done', true), new Succeed(this, 'RunEnded'))
      .when(Condition.isPresent('$.approve[0]'), approveTools)
      .otherwise(executeTools);
    this.stateMachine = this.#stateMachine(callModel.next(route), props);
  }

  /** 1. CallModel. A failure it cannot recover from marks the run FAILED, then fails the execution. */
  #callModel(props: AgentLoopProps): TaskStateBase {
    const markFailed = new LambdaInvoke(this, LoopTask.MARK_FAILED, {
      lambdaFunction: props.callModel,
      payload: TaskInput.fromObject({ runId: JsonPath.stringAt('$.runId'), failed: true }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
    })
      .addRetry({ errors: LAMBDA_SERVICE_ERRORS, maxAttempts: 3 })
      // Whatever else fails it (DynamoDB unreachable a while): taken again, or the run would be left RUNNING with no execution.
      .addRetry({ errors: ['States.ALL'], maxAttempts: 4, interval: Duration.seconds(1), backoffRate: 2 });
    markFailed.next(new Fail(this, 'RunFailed', { error: 'RunFailed', cause: 'The run failed; its record says why.' }));
    return (
      new LambdaInvoke(this, LoopTask.CALL_MODEL, {
        lambdaFunction: props.callModel,
        payloadResponseOnly: true,
        taskTimeout: Timeout.duration(props.callModelTaskTimeout),
        retryOnServiceExceptions: false,
      })
        .addRetry({ errors: LAMBDA_SERVICE_ERRORS, maxAttempts: 3 })
        .addRetry({ errors: ['ModelThrottledError'], maxAttempts: 5, backoffRate: 2 })
        // The chain of a run that ended in this step could not be sealed: the step again seals it (nothing else would).
        .addRetry({ errors: [AUDIT_SEAL_ERROR], maxAttempts: 4, interval: Duration.seconds(1), backoffRate: 2 })
        .addCatch(markFailed, { errors: ['States.ALL'], resultPath: '$.error' })
    );
  }

  /** 3. ExecuteTools: each screened call to its own tool function, chosen by name from the state. */
  #executeTools(props: AgentLoopProps): MapState {
    const invokeTool = this.#invokeTool(LoopTask.INVOKE_TOOL, { 'FunctionName.$': '$.functionName', 'Payload.$': '$.invocation' }, '$');
    // The crash names the call it caught, as every tool's answer does: CallModel pairs them by call id.
    const crashed = new Pass(this, 'ToolCrashed', {
      parameters: { result: { ok: false, error: TOOL_CRASHED_FAILURE, callId: JsonPath.stringAt('$.invocation.callId') } },
    });
    invokeTool.addCatch(crashed, { errors: ['States.ALL'], resultPath: JsonPath.DISCARD });
    const executeTools = new MapState(this, 'ExecuteTools', {
      itemsPath: '$.execute',
      resultPath: '$.executed',
      maxConcurrency: props.maxConcurrency ?? 8,
    });
    executeTools.itemProcessor(invokeTool);
    return executeTools;
  }

  /** 4. ApproveTools: wait for a person, then run the call with its approval id, or hand back why not. */
  #approveTools(props: AgentLoopProps): MapState {
    const requestApproval = new LambdaInvoke(this, LoopTask.REQUEST_APPROVAL, {
      lambdaFunction: props.requestApproval,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({ taskToken: JsonPath.taskToken, item: JsonPath.entirePayload }),
      // The approvals store expires the approval; the task waits a grace longer (APPROVAL_TASK_GRACE_SECONDS).
      taskTimeout: Timeout.duration(props.approvalTimeout.plus(Duration.seconds(APPROVAL_TASK_GRACE_SECONDS))),
      resultPath: '$.decision',
    });
    this.#whenRequestFails(requestApproval);
    const invokeApproved = this.#invokeTool(
      LoopTask.INVOKE_APPROVED,
      {
        'FunctionName.$': '$.functionName',
        Payload: {
          'runId.$': '$.invocation.runId',
          'callId.$': '$.invocation.callId',
          'tool.$': '$.invocation.tool',
          'caller.$': '$.invocation.caller',
          'arguments.$': '$.invocation.arguments',
          // The run's information-flow label (null when clean): CallModel always sets it.
          'untrusted.$': '$.invocation.untrusted',
          // With policies, the history the loop counted: the tool decides on the same as screening did.
          ...(props.history ? { 'history.$': '$.invocation.history' } : {}),
          'approvalId.$': '$.decision.approvalId',
          receipt: true,
        },
      },
      '$.outcome',
    );
    invokeApproved.addCatch(
      new Pass(this, 'ApprovedToolCrashed', {
        result: Result.fromObject({ result: { ok: false, error: TOOL_CRASHED_FAILURE } }),
        resultPath: '$.outcome',
      }),
      { errors: ['States.ALL'], resultPath: JsonPath.DISCARD },
    );
    const denied = new Pass(this, 'ApprovalDenied', {
      result: failureResult(
        'APPROVAL_DENIED',
        'A human approver denied this call.',
        'Do not retry this call; tell the user it was denied and ask how to proceed.',
        false,
      ),
      resultPath: '$.outcome',
    });
    // Edit, then approve: the decision carries the approver's arguments (checked by the tool's schema,
    // the approval re-bound to their hash); they replace the model's in the invocation.
    const takeEdit = new Pass(this, 'TakeEditedArguments', { inputPath: '$.decision.arguments', resultPath: '$.invocation.arguments' });
    takeEdit.next(invokeApproved);
    // One Choice for all three, so that an approval as asked costs no extra state transition.
    const approved = Condition.stringEquals('$.decision.decision', 'approve');
    const decided = new Choice(this, 'Decided')
      .when(Condition.and(approved, Condition.isPresent('$.decision.arguments')), takeEdit)
      .when(approved, invokeApproved)
      .otherwise(denied);
    const approveTools = new MapState(this, 'ApproveTools', {
      itemsPath: '$.approve',
      resultPath: '$.approvals',
      maxConcurrency: props.maxConcurrency ?? 8,
    });
    approveTools.itemProcessor(requestApproval.next(decided));
    return approveTools;
  }

  /**
   * A failed request for approval (its function crashed or timed out, perhaps after it recorded the
   * approval) is taken again: the retry finds the approval and waits on it under its own token (a
   * decision taken meanwhile is delivered to that token by the API's sweep). Never the wait's own
   * timeout: that is expiry (APPROVAL_EXPIRED). A request that fails every try hands back INTERNAL.
   */
  #whenRequestFails(requestApproval: LambdaInvoke): void {
    const expired = new Pass(this, 'ApprovalExpired', {
      result: failureResult(
        'APPROVAL_EXPIRED',
        'No approver decided on this call in time, so it was not made.',
        'Tell the user the action is waiting for approval and was not done.',
        false,
      ),
      resultPath: '$.outcome',
    });
    const approvalFailed = new Pass(this, 'ApprovalFailed', {
      result: failureResult('INTERNAL', 'The approval could not be requested, so the call was not made.', 'Try again later.', true),
      resultPath: '$.outcome',
    });
    requestApproval
      .addRetry({ errors: ['States.Timeout'], maxAttempts: 0 })
      .addRetry({ errors: ['States.ALL'], maxAttempts: 2, interval: Duration.seconds(1), backoffRate: 2 });
    requestApproval.addCatch(expired, { errors: ['States.Timeout'], resultPath: JsonPath.DISCARD });
    requestApproval.addCatch(approvalFailed, { errors: ['States.ALL'], resultPath: JsonPath.DISCARD });
  }

  /** The workflow, its logs (without execution data) and its grants: invoking exactly the loop's functions. */
  #stateMachine(definition: Chain, props: AgentLoopProps): StateMachine {
    const logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    const stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(definition),
      // Execution data stays out of the logs: it holds arguments and results.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    for (const fn of [props.callModel, props.requestApproval, ...props.toolFunctions]) {
      fn.grantInvoke(stateMachine);
      const logicalId = Stack.of(this).getLogicalId(fn.node.defaultChild as CfnFunction);
      acknowledge(
        stateMachine,
        `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        'grantInvoke names this one function and adds its versions and aliases (Arn:*); nothing else is invocable.',
      );
    }
    acknowledge(
      stateMachine,
      'AwsSolutions-IAM5[Resource::*]',
      'Step Functions log delivery and X-Ray need * (they support no resource-level permissions).',
    );
    return stateMachine;
  }

  /** A Lambda invoke whose function is named by the state (one state serves every tool), with the result as `{ result }`. */
  #invokeTool(id: string, parameters: Record<string, unknown>, resultPath: string): CustomState {
    return new CustomState(this, id, {
      stateJson: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: parameters,
        ResultSelector: { 'result.$': '$.Payload' },
        // "$" is the default; written out, aws-local-stepfunctions takes it for a key named "$".
        ...(resultPath === '$' ? {} : { ResultPath: resultPath }),
        Retry: [retryLambdaService],
      },
    });
  }
}
