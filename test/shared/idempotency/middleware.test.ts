import { describe, expect, it } from 'vitest';
import type { PendingPut } from '#shared/aws/index.ts';
import { IdempotencyInProgressError, IdempotencyKeyMissingError, IdempotencyMismatchError } from '#shared/idempotency/errors.ts';
import { RecordStatus, type IdempotencyRecord } from '#shared/idempotency/idempotency-record.ts';
import { idempotency } from '#shared/idempotency/middleware.ts';
import { hashCanonical } from '#shared/canonical-json/index.ts';
import { lambdaContext } from '../../support/lambda-context.ts';
import { throughMiddy } from '../../support/middy-harness.ts';

type Begun = { claimed: true; tookOver?: IdempotencyRecord } | { claimed: false; record: IdempotencyRecord | undefined };

/** An idempotency store that answers `begin` from a script, and records what was completed and released. */
const fakeStore = (begins: Begun[]) => {
  const log: string[] = [];
  return {
    log,
    store: {
      begin: async () => (begins.shift() ?? { claimed: true }) as Begun,
      complete: async (key: string) => void log.push(`complete ${key}`),
      completion: (key: string): PendingPut => (
        log.push(`completion ${key}`),
        { tableName: 't', item: { id: { S: key } }, failure: () => new Error('x') }
      ),
      release: async (key: string) => void log.push(`release ${key}`),
    },
  };
};
const argsHash = hashCanonical({ text: 'a' });
const key = 'lookup_note#run-1#call-1';
const completed = (result: unknown): IdempotencyRecord => ({ status: RecordStatus.COMPLETED, argsHash, inProgressUntil: 0, result });

describe('idempotency, alone through middy', () => {
  it('claims, runs the handler and stores its result', async () => {
    const { store, log } = fakeStore([{ claimed: true }]);
    expect(await throughMiddy(idempotency({ store, tool: 'lookup_note', lockMs: 1000 }))()).toEqual({ ran: true });
    expect(log).toEqual([`complete ${key}`]);
  });
  it('replays a completed call without running the handler', async () => {
    const { store, log } = fakeStore([{ claimed: false, record: completed({ ran: 'before' }) }]);
    let ran = false;
    const answer = await throughMiddy(idempotency({ store, tool: 'lookup_note', lockMs: 1000 }), async () => (ran = true))();
    expect([ran, (answer as { result: unknown }).result, log]).toEqual([false, { ran: 'before' }, []]);
  });
  it('refuses the same call id with other arguments, and a call still running', async () => {
    const mismatch = fakeStore([{ claimed: false, record: { ...completed(1), argsHash: 'other' } }]);
    await expect(throughMiddy(idempotency({ store: mismatch.store, tool: 'lookup_note', lockMs: 1000 }))()).rejects.toBeInstanceOf(
      IdempotencyMismatchError,
    );
    const running = fakeStore([
      { claimed: false, record: { status: RecordStatus.IN_PROGRESS, argsHash, inProgressUntil: Date.now() + 60_000 } },
    ]);
    await expect(throughMiddy(idempotency({ store: running.store, tool: 'lookup_note', lockMs: 1000 }))()).rejects.toBeInstanceOf(
      IdempotencyInProgressError,
    );
  });
  it('claims again when the record vanished between the put and the read (released by a failing attempt)', async () => {
    const { store, log } = fakeStore([{ claimed: false, record: undefined }, { claimed: true }]);
    expect(await throughMiddy(idempotency({ store, tool: 'lookup_note', lockMs: 1000 }))()).toEqual({ ran: true });
    expect(log).toEqual([`complete ${key}`]);
  });
  it('gives up as in progress when the record vanished and the second claim lost too', async () => {
    const { store } = fakeStore([
      { claimed: false, record: undefined },
      { claimed: false, record: undefined },
    ]);
    await expect(throughMiddy(idempotency({ store, tool: 'lookup_note', lockMs: 1000 }))()).rejects.toBeInstanceOf(
      IdempotencyInProgressError,
    );
  });
  it('releases the claim when the handler fails, so the call can be retried', async () => {
    const { store, log } = fakeStore([{ claimed: true }]);
    await expect(
      throughMiddy(idempotency({ store, tool: 'lookup_note', lockMs: 1000 }), async () => Promise.reject(new Error('boom')))(),
    ).rejects.toThrow('boom');
    expect(log).toEqual([`release ${key}`]);
  });
  it('records the attempt it took over as interrupted, before running', async () => {
    const { store } = fakeStore([
      {
        claimed: true,
        tookOver: { status: RecordStatus.IN_PROGRESS, argsHash, inProgressUntil: 0, attempt: { attemptId: 'dead', startedAt: 1 } },
      },
    ]);
    const previous: unknown[] = [];
    await throughMiddy(idempotency({ store, tool: 'lookup_note', lockMs: 1000, onPreviousAttempt: async (p) => void previous.push(p) }))();
    expect(previous).toEqual([{ attemptId: 'dead', startedAt: 1, outcome: 'interrupted' }]);
  });
  it('records the attempt whose stored result it replays as executed, with when it ended; not when that attempt is this one', async () => {
    const context = lambdaContext();
    const ran = (attemptId: string, completedAt?: number) => ({
      ...completed({ n: 1 }),
      attempt: { attemptId, startedAt: 5 },
      ...(completedAt === undefined ? {} : { completedAt }),
    });
    const { store } = fakeStore([
      { claimed: false, record: ran('died-after-storing', 9) },
      { claimed: false, record: ran('died-early') },
      { claimed: false, record: ran(context.awsRequestId, 9) },
    ]);
    const previous: unknown[] = [];
    const middleware = idempotency({ store, tool: 'lookup_note', lockMs: 1000, onPreviousAttempt: async (p) => void previous.push(p) });
    for (let i = 0; i < 3; i++) await throughMiddy(middleware)({}, context);
    expect(previous).toEqual([
      { attemptId: 'died-after-storing', startedAt: 5, outcome: 'executed', result: { n: 1 }, endedAt: 9 },
      { attemptId: 'died-early', startedAt: 5, outcome: 'executed', result: { n: 1 } },
    ]);
  });
  it('refuses a call without a run id or a call id, and claims nothing', async () => {
    for (const event of [{ runId: '' }, { callId: '' }]) {
      const { store, log } = fakeStore([]);
      let begun = false;
      store.begin = async () => ((begun = true), { claimed: true });
      await expect(throughMiddy(idempotency({ store, tool: 'lookup_note', lockMs: 1000 }))(event)).rejects.toBeInstanceOf(
        IdempotencyKeyMissingError,
      );
      expect([begun, log]).toEqual([false, []]);
    }
  });
  it('asks a retry to wait the whole lock when the record vanished and the second claim lost', async () => {
    const { store } = fakeStore([
      { claimed: false, record: undefined },
      { claimed: false, record: undefined },
    ]);
    const error = await throughMiddy(idempotency({ store, tool: 'lookup_note', lockMs: 1234 }))().catch((e: unknown) => e);
    expect((error as IdempotencyInProgressError).retryAfterMs).toBe(1234);
  });
  it('leaves the result’s put to the audit layer’s request when told to, and stores nothing itself', async () => {
    const { store, log } = fakeStore([{ claimed: true }]);
    await throughMiddy(idempotency({ store, tool: 'lookup_note', lockMs: 1000, deferCompletion: true }))();
    expect(log).toEqual([`completion ${key}`]);
  });
  it('keeps the handler’s error when releasing the claim fails, and reports the store’s', async () => {
    const { store } = fakeStore([{ claimed: true }]);
    const lost = new Error('release lost');
    store.release = async () => Promise.reject(lost);
    const storeErrors: unknown[] = [];
    const middleware = idempotency({ store, tool: 'lookup_note', lockMs: 1000, onStoreError: (e) => void storeErrors.push(e) });
    await expect(throughMiddy(middleware, async () => Promise.reject(new Error('boom')))()).rejects.toThrow('boom');
    expect(storeErrors).toEqual([lost]);
  });
  it('gives back its claim when another guard refuses the call, and only a claim it holds', async () => {
    const { store, log } = fakeStore([]);
    const { step } = idempotency({ store, tool: 'lookup_note', lockMs: 1000 });
    const request = () => ({ event: {}, context: lambdaContext(), internal: {}, response: undefined, error: undefined }) as never;
    const started = (claimed: boolean) =>
      ({
        key,
        argsHash,
        attempt: { attemptId: 'a', startedAt: 1 },
        at: 1,
        begun: claimed ? { claimed } : { claimed, record: undefined },
      }) as never;
    await step.undo?.(request(), started(true));
    await step.undo?.(request(), started(false));
    expect([log, step.name]).toEqual([[`release ${key}`], 'idempotency']);
  });
  it('refuses a lock that is not positive', () => {
    for (const lockMs of [0, -1, Number.NaN]) {
      expect(() => idempotency({ store: fakeStore([]).store, tool: 'lookup_note', lockMs })).toThrow(
        new TypeError('idempotency: lockMs must be positive'),
      );
    }
  });
});

describe('the idempotency errors', () => {
  it('say what happened and what to do', () => {
    const wording = (e: IdempotencyMismatchError | IdempotencyInProgressError | IdempotencyKeyMissingError) => [
      e.name,
      e.code,
      e.message,
      e.suggestion,
      e.retryable,
    ];
    expect(wording(new IdempotencyMismatchError())).toEqual([
      'IdempotencyMismatchError',
      'VALIDATION_FAILED',
      'This call id was already used with different arguments.',
      'Use a new call id for a different call.',
      false,
    ]);
    expect([...wording(new IdempotencyInProgressError(700)), new IdempotencyInProgressError(700).retryAfterMs]).toEqual([
      'IdempotencyInProgressError',
      'INTERNAL',
      'An earlier attempt of this same call is still running.',
      'Wait for the earlier attempt instead of repeating the call.',
      true,
      700,
    ]);
    expect(wording(new IdempotencyKeyMissingError()).slice(0, 3)).toEqual([
      'IdempotencyKeyMissingError',
      'VALIDATION_FAILED',
      'The call has no run id and call id, so it cannot be made idempotent.',
    ]);
  });
});
