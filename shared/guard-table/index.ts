export { GUARD_PARTITION_KEY, GUARD_TTL_ATTRIBUTE, toolItemKey, userToolItemKey } from './keys.ts';
export { toolItemSlot, type ToolItem } from './tool-item.ts';
