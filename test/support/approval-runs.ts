import { until, type useLocalServer } from './local-server.ts';

type World = ReturnType<typeof useLocalServer>;

/**
 * Starts a run as the admin whose scripted model asks for one email (to jane@example.com, with this
 * subject and body), then answers; waits until its approval is pending and returns both ids.
 */
export const emailRunWaitingForApproval = async (world: World, subject: string, body = 'The order has shipped.') => {
  const email = { name: 'send_email', arguments: { to: 'jane@example.com', subject, body } };
  const started = await world.api('POST', '/runs', world.tokenOfRole('admin'), {
    input: 'Email Jane',
    model: { provider: 'scripted', turns: [{ toolCalls: [email] }, { text: 'Sent.' }] },
  });
  const runId = started.body.runId as string;
  const pending = await until(async () => {
    const list = (await world.api('GET', '/approvals?status=pending', world.tokenOfRole('approver'))).body.approvals as Array<
      Record<string, unknown>
    >;
    return list.find((a) => a.runId === runId);
  }, 15_000);
  return { runId, approvalId: pending.approvalId as string };
};

/** Waits until the admin's run has SUCCEEDED, and returns it as GET /runs/{id} shows it. */
export const succeededRun = (world: World, runId: string) =>
  until(async () => {
    const run = (await world.api('GET', `/runs/${runId}`, world.tokenOfRole('admin'))).body;
    return run.status === 'SUCCEEDED' ? run : undefined;
  }, 15_000);
