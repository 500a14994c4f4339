import { isDeepStrictEqual } from 'node:util';

/**
 * AgentDojo's checks read a DeepDiff of the world before and after: "this change and nothing
 * else". Here each check blanks what the task may change, in copies of both worlds, and compares
 * the rest.
 */
export const sameExcept = <World>(pre: World, post: World, ...blanks: ReadonlyArray<(world: World) => void>): boolean => {
  const [a, b] = [structuredClone(pre), structuredClone(post)];
  for (const blank of blanks) {
    blank(a);
    blank(b);
  }
  return isDeepStrictEqual(a, b);
};
