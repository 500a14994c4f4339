import type { AnySuite } from '../harness/suite.ts';
import { bankingSuite } from './banking/index.ts';
import { slackSuite } from './slack/index.ts';
import { travelSuite } from './travel/index.ts';
import { workspaceSuite } from './workspace/index.ts';

/** The suites the benchmark runs, by name (AgentDojo's four, as they are translated). */
export const SUITES: Readonly<Record<string, AnySuite>> = {
  banking: bankingSuite,
  slack: slackSuite,
  travel: travelSuite,
  workspace: workspaceSuite,
};
