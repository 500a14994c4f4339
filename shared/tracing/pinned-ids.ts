import type { RunTraceIds } from './run-trace.ts';

let pinned: RunTraceIds | undefined;

/**
 * Runs `start` (a synchronous span start) with the trace and span ids the SDK's id generator hands
 * out pinned to `ids`: how a run's `invoke_agent` span, written when the run ends, gets the ids its
 * children have named as their parent all along. JavaScript runs `start` to its end before anything
 * else, so no other span can take the pinned ids. Only the id generator of `startTracing` reads them.
 */
export const withPinnedIds = <T>(ids: RunTraceIds, start: () => T): T => {
  pinned = ids;
  try {
    return start();
  } finally {
    pinned = undefined;
  }
};

/** The ids pinned right now, if any (the id generator's side). */
export const pinnedIds = (): RunTraceIds | undefined => pinned;
