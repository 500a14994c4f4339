import type { LintRule } from '../types.ts';

// Words that tell the model nothing about when to pick the tool.
const VAGUE = new Set([
  'stuff',
  'thing',
  'things',
  'data',
  'info',
  'item',
  'items',
  'misc',
  'helper',
  'tool',
  'handle',
  'process',
  'do',
  'run',
  'execute',
  'action',
  'general',
  'generic',
  'util',
  'utils',
]);

export const nameIsSpecific: LintRule = ({ tool }) => {
  const vague = tool.name.split('_').filter((word) => VAGUE.has(word));
  return vague.length === 0
    ? []
    : [`name "${tool.name}" uses vague word(s) ${vague.join(', ')}: name the action and the object, e.g. lookup_order instead of get_data`];
};
