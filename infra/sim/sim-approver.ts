import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleApiRequest } from '../../functions/api/router.ts';
import { DECISION_FAULTS, type FaultPlan } from './fault-plan.ts';
import { onFunctionClock, SIM_APPROVERS, SIM_SLACK_SECRET, type SimWorld } from './sim-world.ts';

type Approver = (typeof SIM_APPROVERS)[number];
type Decision = 'approve' | 'deny';

/** One decision as its sender saw it end: who, what, over which channel, and the last HTTP status they got. */
export interface DecisionAnswer {
  readonly by: string;
  readonly decision: Decision;
  readonly via: 'api' | 'slack';
  readonly status: number;
}

/**
 * A person (or Slack) tries again after a 503, as its message asks: at most this many times in all.
 * In every other refund seed (a seed divisible by 4) the approvers give up after the first 503
 * instead: a decision the API stored then reaches the run only through the API's sweep.
 */
const TRIES = 3;

/** How many times this seed's approvers send a decision that is answered 503. */
const triesOf = (seed: number): number => (seed % 4 === 0 ? 1 : TRIES);

/** The decision over the API's route, as the approver's client sends it. */
const overApi = (world: SimWorld, approver: Approver, approvalId: string, decision: Decision) =>
  handleApiRequest(
    {
      method: 'POST',
      path: `/approvals/${approvalId}`,
      query: {},
      headers: {},
      body: JSON.stringify({ decision }),
      identity: { userId: approver.userId, groups: [...approver.groups] },
    },
    world.system.deps,
  );

/** The same decision as a Slack button click: a signed callback to `/slack/interactions`. */
const overSlack = (world: SimWorld, approver: Approver, approvalId: string, decision: Decision) => {
  const body = `payload=${encodeURIComponent(
    JSON.stringify({ type: 'block_actions', user: { id: approver.slackId }, actions: [{ action_id: decision, value: approvalId }] }),
  )}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', SIM_SLACK_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return handleApiRequest(
    {
      method: 'POST',
      path: '/slack/interactions',
      query: {},
      headers: { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature },
      body,
      identity: undefined,
    },
    world.system.deps,
  );
};

/** The approval the run asks for, once an execution waits on it; undefined when the run ended (or gave up) first. */
const askedFor = async (world: SimWorld, runId: string, ended: () => boolean): Promise<string | undefined> => {
  while (!ended()) {
    const approvalId = world.system.waitingApprovals().find((id) => id.startsWith(`${runId}.`));
    if (approvalId) return approvalId;
    await sleep(5);
  }
  return undefined;
};

/**
 * Plays the approvers of a run that asks for one: pat approves over the API, unless the seed's
 * decision fault says otherwise (the same decision twice at once, again after the run ended, a
 * Slack callback delivered twice, quinn denying while pat approves, or pat answering after the
 * approval timed out). Each decision is sent inside the seed's plan, so the API's own requests meet
 * its DynamoDB faults; a 503 is tried again. Returns the approval and every answer.
 */
export const playApprovers = async (
  world: SimWorld,
  plan: FaultPlan,
  runId: string,
  run: { readonly ended: () => boolean; readonly finished: Promise<unknown> },
): Promise<{ approvalId?: string; answers: DecisionAnswer[] }> => {
  const approvalId = await askedFor(world, runId, run.ended);
  if (!approvalId) return { answers: [] };
  const [pat, quinn] = SIM_APPROVERS;
  const send = async (approver: Approver, decision: Decision, via: DecisionAnswer['via'] = 'api'): Promise<DecisionAnswer> => {
    let status = 0;
    for (let tries = 0; tries < triesOf(plan.seed) && (status === 0 || status === 503); tries += 1)
      status = (
        await world.inPlan(plan, () =>
          onFunctionClock(plan, 'Api', () => (via === 'api' ? overApi : overSlack)(world, approver, approvalId, decision)),
        )
      ).status;
    return { by: approver.userId, decision, via, status };
  };
  // One decision per seed: it meets a fault ten times as often as a request does (half the time at the default rate).
  const fault = plan.decide('Approver:Decide', DECISION_FAULTS, Math.min(1, plan.rate * 10));
  const answers: DecisionAnswer[] = [];
  if (fault === 'sent-twice-at-once') answers.push(...(await Promise.all([send(pat, 'approve'), send(pat, 'approve')])));
  else if (fault === 'slack-redelivered')
    answers.push(...(await Promise.all([send(pat, 'approve', 'slack'), send(pat, 'approve', 'slack')])));
  else if (fault === 'conflicting') answers.push(...(await Promise.all([send(pat, 'approve'), send(quinn, 'deny')])));
  else if (fault === 'late') {
    await run.finished;
    answers.push(await send(pat, 'approve'));
  } else {
    answers.push(await send(pat, 'approve'));
    if (fault === 'sent-again-later') {
      await run.finished;
      answers.push(await send(pat, 'approve'));
    }
  }
  return { approvalId, answers };
};
