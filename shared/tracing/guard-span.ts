import { context, trace } from '@opentelemetry/api';
import { isToolError } from '../tool-result/index.ts';
import { Attr, GuardDecision, SpanName } from './constants.ts';
import { markFailed, tracer, tracingOn } from './spans.ts';

export type Decision = (typeof GuardDecision)[keyof typeof GuardDecision];

export interface GuardSpan {
  readonly within: <T>(fn: () => Promise<T>) => Promise<T>;
  readonly decided: (what: Decision, error?: unknown) => void;
  readonly end: () => void;
}

/** Without an SDK: the guard runs as it is, and nothing is built. */
const UNTRACED: GuardSpan = { within: (fn) => fn(), decided: () => {}, end: () => {} };

/**
 * A guard's span beneath the call's (started now, in the active context): its requests run
 * `within` it, so their spans nest beneath; it says what the guard `decided` (a refusal carries its
 * code as `error.type`); one never decided, because an earlier guard refused, says not_reached.
 */
export const guardSpan = (guard: string): GuardSpan => {
  if (!tracingOn()) return UNTRACED;
  const span = tracer().startSpan(SpanName.guard(guard));
  const active = trace.setSpan(context.active(), span);
  let decision: Decision = GuardDecision.NOT_REACHED;
  return {
    within: <T>(fn: () => Promise<T>): Promise<T> => context.with(active, fn),
    decided: (what: Decision, error?: unknown) => {
      decision = what;
      if (what === GuardDecision.REFUSE) markFailed(span, isToolError(error) ? error.code : error instanceof Error ? error.name : 'Error');
    },
    end: () => {
      span.setAttribute(Attr.GUARD_DECISION, decision);
      span.end();
    },
  };
};
