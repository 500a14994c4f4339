import { type FaultPlan, LAMBDA_FAULTS } from './fault-plan.ts';

/** What Step Functions sees when the function died without answering (a crash, a kill, its timeout): a function error. */
const crashed = () => Object.assign(new Error('Simulated: the function ended without answering'), { name: 'Sandbox.Timedout' });

/** What it sees when Lambda itself failed after the function ran: a service error, which the state machine retries. */
const serviceError = () => Object.assign(new Error('Simulated: Lambda failed after the function ran'), { name: 'Lambda.ServiceException' });

/**
 * The plan's faults at each Lambda invocation the state machine makes (`instrumentInvoke`): a crash
 * before the function ran (nothing done), a crash after it ran (done, the answer lost), or a
 * duplicate (it ran, then Lambda answered with a service error: the state machine's Retry invokes
 * it again, as at-least-once delivery does), or the same event delivered twice at once (the first
 * answer is the one the state machine gets). RequestApproval's too: a crash fails its
 * waitForTaskToken task (ApprovalFailed), and CallModel closes the approval it may have written.
 */
export const injectLambdaFaults =
  (plan: Pick<FaultPlan, 'decide'>) =>
  async <T>(functionName: string, invoke: () => Promise<T>): Promise<T> => {
    const fault = plan.decide(`${functionName}:Invoke`, LAMBDA_FAULTS);
    if (fault === 'crash-before') throw crashed();
    if (fault === 'twice-at-once') return (await Promise.all([invoke(), invoke().catch(() => undefined)]))[0];
    const answer = await invoke();
    if (fault === 'crash-after') throw crashed();
    if (fault === 'duplicate') throw serviceError();
    return answer;
  };
