import { join } from 'node:path';
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { GuardedAgent } from 'guarded-agents/construct';
import { convertTemperature } from './tools/convert-temperature/tool.ts';

/** The app's one stack: a guarded agent with one tool of its own. */
export class MinimalStack extends Stack {
  readonly agent: GuardedAgent;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.agent = new GuardedAgent(this, 'Agent', {
      tools: [convertTemperature],
      // Each tool's folder: tools/<name with - for _>/tool.ts (and deps.ts when it needs any).
      toolsDir: join(import.meta.dirname, 'tools'),
    });
  }
}
