import type { LintRule } from '../types.ts';

export const MIN_DESCRIPTION_LENGTH = 40;

export const descriptionSaysWhatItReturns: LintRule = ({ tool }) => {
  const text = tool.description.trim();
  const findings: string[] = [];
  if (text.length < MIN_DESCRIPTION_LENGTH) {
    findings.push(
      `description is ${text.length} characters; write at least ${MIN_DESCRIPTION_LENGTH}: what the tool does, when to use it, what it returns`,
    );
  }
  if (!/\breturns?\b/i.test(text)) {
    findings.push('description must say what the tool returns, e.g. "Returns top 5 results with title, snippet, and URL."');
  }
  return findings;
};
