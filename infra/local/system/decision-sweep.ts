import type { ApiDeps } from '../../../functions/api/api-deps.ts';
import { deliverStoredDecisions } from '../../../functions/api/decision-delivery.ts';
import { everyInterval } from './every-interval.ts';
import { DEFAULT_APPROVAL_GRACE_MS, type LocalSystemOptions } from './options.ts';

/**
 * How long the local sweep leaves a decision to the API: its requests take milliseconds here (a
 * sweep that meets the API mid-delivery changes nothing: the record is written once, the task answered once).
 */
const LOCAL_SETTLE_MS = 250;

/** `LocalSystemOptions.decisionSweepMs`'s default. */
const DEFAULT_DECISION_SWEEP_MS = 500;

/**
 * Step 8: the sweep that delivers decisions the API stored but could not deliver, on the API's role
 * (deployed, an EventBridge rule every minute: here every `decisionSweepMs`). Each delivery is told
 * in `events` (`decisionDelivered:<approvalId>`).
 */
export const startDecisionSweep = (
  deps: ApiDeps,
  options: Pick<LocalSystemOptions, 'decisionSweepMs' | 'approvalGraceMs'>,
  events: string[],
) => {
  const timing = { settleMs: LOCAL_SETTLE_MS, graceMs: options.approvalGraceMs ?? DEFAULT_APPROVAL_GRACE_MS };
  return everyInterval(async () => {
    const { delivered } = await deliverStoredDecisions(deps, timing);
    events.push(...delivered.map((id) => `decisionDelivered:${id}`));
  }, options.decisionSweepMs ?? DEFAULT_DECISION_SWEEP_MS);
};
