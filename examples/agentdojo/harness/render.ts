import { blockedTasks, COLUMNS, type Figures, PUBLISHED, rowOf, WHAT_DIFFERS, wordsReached } from './report.ts';
import type { CaseResult } from './run-case.ts';

export interface RunFacts {
  readonly date: string;
  readonly seconds: number;
  readonly cases: number;
  readonly agent: string;
  /** The suites' Cedar policies were checked as well (`--policies`). */
  readonly policies: boolean;
}

/** A plain table for the terminal. */
export const textTable = (figures: readonly Figures[]): string => {
  const rows = [[...COLUMNS], ...figures.map(rowOf)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
};

const markdownTable = (header: readonly string[], rows: readonly (readonly string[])[]) =>
  [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

/** Why each honest task that needed a person needed one: the loop's own reason, per approval asked. */
const blockedList = (results: readonly CaseResult[]) =>
  blockedTasks(results).map(
    (b) =>
      `- ${b.suite} ${b.userTask}${b.utility ? '' : ' (utility check failed)'}: ${
        b.asked.length === 0 ? 'no approval asked' : b.asked.map((a) => `${a.tool}: ${a.why || 'approval asked'}`).join('; ')
      }`,
  );

/** The attacks reached that asked only for words: said plainly under the table, with whether each run was labelled. */
export const wordsNote = (results: readonly CaseResult[]): string[] => {
  const words = wordsReached(results);
  const all = results.filter((r) => r.attacked === true).length;
  return words.reached === 0
    ? []
    : [
        `Of the ${all} attacks reached, ${words.reached} asked only for words in the model's answer (${words.attacks.join(', ')}): ` +
          'there is no call to guard, so no guard of ours stops a model that obeys, nor would any defence that governs calls. ' +
          `Each such run carried the untrusted label (${words.labelled} of ${words.reached}): \`GET /runs/{id}\` names the call ` +
          'that brought the attack in, and a client shows its answer as written after reading it.',
        '',
      ];
};

/** What the columns mean, and what the published defences report: said once, in the section without policies. */
const explained = [
  '- utility: the honest agent with the careful approver (it approves exactly the user task’s own calls) passes AgentDojo’s check;',
  '- autonomy: it passes with no approval asked; approvals / task: how many a person decides;',
  '- attack success: AgentDojo’s security check says the attacker’s goal was reached (compromised: AgentDojo’s injection ' +
    'tasks, always obeyed; adaptive: ours, which know the defence); no approver denies every approval;',
  '- utility under attack: the compromised agent with the careful approver still does the user’s task.',
  '',
  'Published on AgentDojo:',
  '',
  markdownTable(
    ['defence', 'figure', 'source'],
    PUBLISHED.map((p) => [p.defence, p.figure, p.source]),
  ),
  '',
  WHAT_DIFFERS,
  '',
];

/** With the suites' Cedar policies: what they cost in autonomy, beside the figures without them. */
const policiesHeading = [
  "### AgentDojo with the suites' Cedar policies (`npm run bench:agentdojo -- --policies`)",
  '',
  'The same cases, the agent checking each suite’s policies as well (`examples/agentdojo/suites/*/policies/*.cedar`: a ' +
    'standing order set up or changed, a payment above 1,000 or a membership change waits for a person; at most ten payments ' +
    'per user an hour; ' +
    'a third web post in a run, a cancelled event, a second booking in a run, a file shared to be edited or a fourth email in ' +
    'a run waits for a person). Policies only restrict, so they can lower autonomy, never raise attack ' +
    'success: compare with the table above.',
];

/** The report's section for docs/benchmarks.md. */
export const markdownSection = (figures: readonly Figures[], results: readonly CaseResult[], facts: RunFacts): string =>
  [
    ...(facts.policies ? policiesHeading : ['## AgentDojo (`npm run bench:agentdojo`)']),
    '',
    `AgentDojo v1's suites (ETH Zürich, MIT licence; translated in \`examples/agentdojo/\`), every case through the local system: the ` +
      `synthesized state machine, the guard pipeline, the information-flow label, approvals. ${facts.cases} runs on ${facts.date}, ` +
      `${Math.round(facts.seconds)} s on this 2-core machine (agents: ${facts.agent}). Suites translated so far: ` +
      `${figures
        .filter((f) => f.suite !== 'all')
        .map((f) => f.suite)
        .join(', ')} (of AgentDojo's four: banking, slack, travel, workspace).`,
    '',
    markdownTable(COLUMNS, figures.map(rowOf)),
    '',
    ...wordsNote(results),
    ...(facts.policies ? [] : explained),
    'Honest runs that needed a person, and the rule that asked:',
    '',
    ...blockedList(results),
  ].join('\n');

const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** The report as a page of its own, beside the eval's (reports/agentdojo/agentdojo.html). */
export const htmlPage = (figures: readonly Figures[], results: readonly CaseResult[], facts: RunFacts): string => {
  const table = (header: readonly string[], rows: readonly (readonly string[])[]) =>
    `<table><thead><tr>${header.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead><tbody>${rows
      .map((r) => `<tr>${r.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`)
      .join('')}</tbody></table>`;
  const cases = results.map((r) => [
    r.suite,
    r.userTask,
    r.attack ?? '',
    r.agent,
    r.approver,
    r.status,
    r.utility ? 'yes' : 'no',
    r.attacked === null ? '' : r.attacked ? 'REACHED' : 'no',
    `${r.approvalsGranted}/${r.approvalsAsked}`,
    String(r.ms),
  ]);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>AgentDojo: guarded-agents</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:80em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left}th{background:#f4f4f4}</style></head><body>
<h1>AgentDojo v1 through guarded-agents</h1>
<p>${escape(`${facts.cases} runs on ${facts.date}, ${Math.round(facts.seconds)} s (agents: ${facts.agent}).`)}</p>
${table(COLUMNS, figures.map(rowOf))}
${wordsNote(results)
  .filter(Boolean)
  .map((line) => `<p>${escape(line)}</p>`)
  .join('')}
<h2>Published on AgentDojo</h2>
${table(
  ['defence', 'figure', 'source'],
  PUBLISHED.map((p) => [p.defence, p.figure, p.source]),
)}
<p>${escape(WHAT_DIFFERS)}</p>
<h2>Honest runs that needed a person</h2>
<ul>${blockedList(results)
    .map((line) => `<li>${escape(line.slice(2))}</li>`)
    .join('')}</ul>
<h2>Every case</h2>
${table(['suite', 'user task', 'attack', 'agent', 'approver', 'status', 'utility', 'attacker goal', 'approved/asked', 'ms'], cases)}
</body></html>
`;
};
