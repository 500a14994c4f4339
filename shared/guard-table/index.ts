export { GUARD_PARTITION_KEY, GUARD_TTL_ATTRIBUTE, toolItemKey, userToolItemKey } from './keys.ts';
