import type { AnyTool } from '../define-tool.ts';
import { toolSpec } from '../tool-spec.ts';
import { dangerousVerbsAreDestructive } from './rules/dangerous-verbs-are-destructive.ts';
import { descriptionSaysWhatItReturns } from './rules/description-says-what-it-returns.ts';
import { inputsAreBounded } from './rules/inputs-are-bounded.ts';
import { nameIsSnakeCaseVerbNoun } from './rules/name-is-snake-case-verb-noun.ts';
import { nameIsSpecific } from './rules/name-is-specific.ts';
import { parametersAreDescribed } from './rules/parameters-are-described.ts';
import { rolesMatchRisk } from './rules/roles-match-risk.ts';
import type { JsonSchema, LintFinding, LintRule } from './types.ts';

/** The tool lint's rules, each with its id and what it checks (`lintTools` runs them). */
export const toolLintRules: Readonly<Record<string, LintRule>> = {
  'name-is-snake-case-verb-noun': nameIsSnakeCaseVerbNoun,
  'name-is-specific': nameIsSpecific,
  'description-says-what-it-returns': descriptionSaysWhatItReturns,
  'parameters-are-described': parametersAreDescribed,
  'inputs-are-bounded': inputsAreBounded,
  'dangerous-verbs-are-destructive': dangerousVerbsAreDestructive,
  'roles-match-risk': rolesMatchRisk,
};

/**
 * Runs every rule on every tool. Used by the tests now and at synth time by the CDK app.
 *
 * @example
 * for (const finding of lintTools(catalog)) console.log(`${finding.tool}: ${finding.rule}: ${finding.message}`);
 */
export const lintTools = (tools: readonly AnyTool[]): LintFinding[] => [...tools.flatMap(lintTool), ...unknownRecords(tools)];

/** A sink argument vouched for by a record no tool of the deployment returns would never be vouched for: a typo, said at synth. */
const unknownRecords = (tools: readonly AnyTool[]): LintFinding[] => {
  const records = new Set(tools.flatMap((tool) => Object.keys(tool.records ?? {})));
  return tools.flatMap((tool) =>
    Object.entries(tool.sinkArguments ?? {}).flatMap(([argument, vouchers]) =>
      ((vouchers ?? []) as readonly string[])
        .filter((v) => v.startsWith('record:') && !records.has(v.slice('record:'.length)))
        .map((v) => ({
          tool: tool.name,
          rule: 'vouchers-name-records',
          message: `sinkArguments.${argument} is vouched for by ${v}, but no tool declares records.${v.slice('record:'.length)}`,
        })),
    ),
  );
};

const lintTool = (tool: AnyTool): LintFinding[] => {
  const subject = { tool, schema: toolSpec(tool).inputSchema as JsonSchema };
  const exceptions = tool.lintExceptions ?? {};
  const findings = Object.entries(toolLintRules)
    .filter(([rule]) => exceptions[rule] === undefined)
    .flatMap(([rule, check]) => check(subject).map((message) => ({ tool: tool.name, rule, message })));
  // An exception is a reviewed decision: it names a rule that exists and says why.
  for (const [rule, reason] of Object.entries(exceptions)) {
    if (!(rule in toolLintRules))
      findings.push({
        tool: tool.name,
        rule: 'lint-exceptions',
        message: `lintExceptions names no rule ${rule} (rules: ${Object.keys(toolLintRules).join(', ')})`,
      });
    else if (reason.trim().length < MIN_EXCEPTION_REASON)
      findings.push({
        tool: tool.name,
        rule: 'lint-exceptions',
        message: `lintExceptions.${rule} must say why in at least ${MIN_EXCEPTION_REASON} characters`,
      });
  }
  return findings;
};

/** How long an exception's reason must be: a sentence a reviewer can weigh, not "ok". */
export const MIN_EXCEPTION_REASON = 20;

/**
 * Thrown by `assertToolsLintClean` when a declaration breaks a lint rule: each finding, with its
 * tool and rule.
 */
export class ToolLintError extends Error {
  readonly findings: readonly LintFinding[];
  constructor(findings: readonly LintFinding[]) {
    super(`Tool lint found ${findings.length} problem(s):\n${findings.map((f) => `  - ${f.tool} [${f.rule}]: ${f.message}`).join('\n')}`);
    this.name = 'ToolLintError';
    this.findings = findings;
  }
}

/**
 * Throws a `ToolLintError` listing every finding, each with how to fix it.
 *
 * @example
 * assertToolsLint(catalog); // throws a ToolLintError naming every finding
 */
export const assertToolsLint = (tools: readonly AnyTool[]): void => {
  const findings = lintTools(tools);
  if (findings.length > 0) throw new ToolLintError(findings);
};
