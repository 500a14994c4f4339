import type { LintRule } from '../types.ts';

// The first word must be an action the model can recognise; extend the list when a tool needs a new verb.
const VERBS = new Set([
  'search',
  'read',
  'lookup',
  'get',
  'list',
  'fetch',
  'find',
  'query',
  'describe',
  'count',
  'check',
  'summarize',
  'convert',
  'calculate',
  'estimate',
  'validate',
  'translate',
  'create',
  'update',
  'add',
  'set',
  'assign',
  'close',
  'open',
  'schedule',
  'cancel',
  'approve',
  'reject',
  'comment',
  'send',
  'publish',
  'delete',
  'remove',
  'transfer',
  'drop',
  'purge',
  'archive',
  'restart',
  'refund',
  'reserve',
  'book',
  'reschedule',
  'append',
  'share',
  'post',
]);

export const nameIsSnakeCaseVerbNoun: LintRule = ({ tool }) => {
  if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(tool.name) || tool.name.length > 64) {
    return [`name "${tool.name}" must be snake_case verb_noun of at most 64 characters, e.g. search_knowledge_base`];
  }
  const verb = tool.name.split('_')[0] ?? '';
  return VERBS.has(verb)
    ? []
    : [`name "${tool.name}" must start with a verb (such as ${[...VERBS].slice(0, 6).join(', ')}); "${verb}" is not one`];
};
