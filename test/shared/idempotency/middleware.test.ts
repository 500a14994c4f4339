import { describe, expect, it } from 'vitest';
import type { PendingPut } from '#shared/aws/index.ts';
import { IdempotencyInProgressError, IdempotencyMismatchError } from '#shared/idempotency/errors.ts';
import { RecordStatus, type IdempotencyRecord } from '#shared/idempotency/idempotency-record.ts';
import { idempotency } from '#shared/idempotency/middleware.ts';
import { hashCanonical } from '#shared/canonical-json/index.ts';
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
      completion: (key: string): PendingPut => ({ tableName: 't', item: { id: { S: key } }, failure: () => new Error('x') }),
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
});
