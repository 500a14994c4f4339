import { trace } from '@opentelemetry/api';
import { Attr } from './constants.ts';

/**
 * A policy decision on the call's own span (`execute_tool`): which set decided, what, by which
 * policies, and what shadow policies would have decided. Nothing when tracing is off.
 */
export const tracePolicyDecision = (decision: {
  readonly hash: string;
  readonly effect: string;
  readonly deciding: readonly string[];
  readonly shadow: ReadonlyArray<{ readonly id: string; readonly effect: string }>;
}): void => {
  const span = trace.getActiveSpan();
  if (!span) return;
  span.setAttributes({
    [Attr.POLICY_SET]: decision.hash,
    [Attr.POLICY_EFFECT]: decision.effect,
    ...(decision.deciding.length > 0 ? { [Attr.POLICY_DECIDING]: [...decision.deciding] } : {}),
    ...(decision.shadow.length > 0 ? { [Attr.POLICY_SHADOW]: decision.shadow.map((s) => `${s.id}:${s.effect}`) } : {}),
  });
};
