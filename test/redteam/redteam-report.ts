// `npm run redteam`: runs the red-team suite against the local system and prints its table.
import { redTeamTable, runRedTeam } from './run-redteam.ts';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
const started = Date.now();
const outcomes = await runRedTeam();
console.log(
  `\n## Red team (${outcomes.length} adversarial calls through the local API, ${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
);
console.log(redTeamTable(outcomes));
const executed = outcomes.filter((o) => o.stage === 'EXECUTED');
if (executed.length > 0) {
  console.error(`\n${executed.length} call(s) reached a handler:`, executed.map((o) => `${o.category}: ${o.name}`).join('; '));
  process.exit(1);
}
