/**
 * The worlds the suites' tools act on, one per case. Each case runs as a user of its own, so a
 * tool finds its case's world by the caller; AgentDojo's environments are in memory too. The
 * bench runs the local system in this process, so the tools and the harness share this map.
 */
const worlds = new Map<string, unknown>();

/** Opens a case's world, under the user id the case runs as. */
export const openWorld = (userId: string, world: unknown): void => void worlds.set(userId, world);

/** The caller's world; a call from a user with no open case fails (it cannot touch another's). */
export const worldOf = <World>(userId: string): World => {
  const world = worlds.get(userId);
  if (world === undefined) throw new Error(`No AgentDojo world is open for ${userId}`);
  return world as World;
};

/** Closes a case's world, returning it as the case left it. */
export const closeWorld = <World>(userId: string): World => {
  const world = worldOf<World>(userId);
  worlds.delete(userId);
  return world;
};

/** Forgets a case's world whatever became of it (a case that failed half-way). */
export const dropWorld = (userId: string): void => void worlds.delete(userId);
