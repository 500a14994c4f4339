import { SpanKind } from '@opentelemetry/api';
import {
  ATTR_ENDUSER_PSEUDO_ID,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
  GEN_AI_PROVIDER_NAME_VALUE_AWS_BEDROCK,
  GEN_AI_PROVIDER_NAME_VALUE_OPENAI,
} from './semconv.ts';
import type { ModelProvider, ModelRequest, ModelTurn, StopReason } from '../model/index.ts';
import { Attr, SpanName, TRACER_NAME } from './constants.ts';
import { contentAttribute } from './content.ts';
import { pseudonymOf, runContext } from './run-trace.ts';
import { inSpan, recordRunSpan, tracingOn } from './spans.ts';

/** `gen_ai.provider.name` by this package's provider names (a provider not listed is named as it names itself). */
const PROVIDER_NAMES: Partial<Record<string, string>> = {
  bedrock: GEN_AI_PROVIDER_NAME_VALUE_AWS_BEDROCK,
  'openai-compatible': GEN_AI_PROVIDER_NAME_VALUE_OPENAI,
};

/** The conventions' finish reasons for this package's stop reasons. */
const FINISH_REASONS: Readonly<Record<StopReason, string>> = {
  end_turn: 'stop',
  tool_use: 'tool_call',
  max_tokens: 'length',
  other: 'other',
};

/**
 * One model call as a `chat <model>` span in its run's trace: provider, model, tokens and finish
 * reason; the messages only when content is opted in, and then redacted.
 */
export const traceChat = (runId: string, provider: ModelProvider, request: ModelRequest): Promise<ModelTurn> => {
  if (!tracingOn()) return provider.converse(request);
  const model = provider.model ?? provider.name;
  return inSpan(
    SpanName.chat(model),
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_CHAT,
        [ATTR_GEN_AI_PROVIDER_NAME]: PROVIDER_NAMES[provider.name] ?? provider.name,
        [ATTR_GEN_AI_REQUEST_MODEL]: model,
        [ATTR_GEN_AI_CONVERSATION_ID]: runId,
        [Attr.RUN_ID]: runId,
        ...contentAttribute(ATTR_GEN_AI_SYSTEM_INSTRUCTIONS, request.system),
        ...contentAttribute(ATTR_GEN_AI_INPUT_MESSAGES, request.messages),
      },
    },
    runContext(runId),
    async (span) => {
      const turn = await provider.converse(request);
      span.setAttributes({
        [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: [FINISH_REASONS[turn.stopReason]],
        ...(turn.usage
          ? { [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: turn.usage.inputTokens, [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: turn.usage.outputTokens }
          : {}),
        ...contentAttribute(ATTR_GEN_AI_OUTPUT_MESSAGES, [{ role: 'assistant', text: turn.text, toolCalls: turn.toolCalls }]),
      });
      return turn;
    },
  );
};

/**
 * What the span reads of a run that ended (a run record has it): tracing knows the shape, not the
 * runs capability, so the DynamoDB client that traces itself does not depend on what it stores.
 */
export interface EndedRun {
  readonly runId: string;
  readonly owner: string;
  readonly createdAt: string;
  readonly status: string;
  readonly iteration: number;
  readonly input: string;
  readonly output?: string;
  readonly usage?: { readonly inputTokens: number; readonly outputTokens: number };
}

/**
 * A run's `invoke_agent` span, written when it ends (status, iterations, tokens), from its start:
 * the root of the run's trace, which every other span of the run has named as its parent.
 */
export const traceRunEnded = (run: EndedRun, endedAt: number): void => {
  const failed = run.status === 'FAILED';
  recordRunSpan(
    run.runId,
    { start: Date.parse(run.createdAt), end: endedAt },
    {
      [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
      [ATTR_GEN_AI_AGENT_NAME]: TRACER_NAME,
      [ATTR_GEN_AI_CONVERSATION_ID]: run.runId,
      [Attr.RUN_ID]: run.runId,
      [ATTR_ENDUSER_PSEUDO_ID]: pseudonymOf(run.owner),
      [Attr.RUN_STATUS]: run.status,
      [Attr.RUN_ITERATIONS]: run.iteration,
      ...(run.usage
        ? { [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: run.usage.inputTokens, [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: run.usage.outputTokens }
        : {}),
      ...contentAttribute(ATTR_GEN_AI_INPUT_MESSAGES, [{ role: 'user', text: run.input }]),
      ...contentAttribute(ATTR_GEN_AI_OUTPUT_MESSAGES, [{ role: 'assistant', text: run.output }]),
    },
    failed ? 'RUN_FAILED' : undefined,
  );
};
