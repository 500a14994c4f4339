import { context, trace } from '@opentelemetry/api';
import { isToolError } from '../tool-result/index.ts';
import { Attr, GuardDecision, SpanName } from './constants.ts';
import { markFailed, tracer, tracingOn } from './spans.ts';

/**
 * A guard's decision on a call, as its span records it: pass, refuse, answer (a replay) or not
 * reached.
 */
export type Decision = (typeof GuardDecision)[keyof typeof GuardDecision];

/** A guard's span around its work, and the decision it records. */
export interface GuardSpan {
  /** Runs the guard's work with its span active, so the requests it makes nest beneath. */
  readonly within: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Records what the guard decided (a refusal with its error's type). */
  readonly decided: (what: Decision, error?: unknown) => void;
  /** Ends the span. */
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
