import type { LintRule } from '../types.ts';

// Side effects that cannot be taken back: a tool that says it does one waits for a human.
const DANGEROUS =
  /\b(delete|deletes|deleting|remove|removes|removing|send|sends|sending|publish|publishes|publishing|transfer|transfers|transferring|drop|drops|dropping|purge|purges|purging)\b/i;

export const dangerousVerbsAreDestructive: LintRule = ({ tool }) => {
  if (tool.risk === 'destructive') return [];
  const where = [tool.name.replaceAll('_', ' '), tool.description].find((text) => DANGEROUS.test(text));
  if (where === undefined) return [];
  const verb = DANGEROUS.exec(where)?.[0] ?? '';
  return [
    `${where === tool.description ? 'description' : 'name'} says "${verb}", so risk must be 'destructive' (it then waits for approval); or reword if the tool really does not ${verb.toLowerCase()}`,
  ];
};
