/** `npm start`: this app's API and console on one machine, no AWS account (guarded-agents/local). */
import { serveLocal } from 'guarded-agents/local';
import { MinimalStack } from './stack.ts';

await serveLocal({ agent: (app) => new MinimalStack(app, 'Local').agent }, { example: 'What is 21 degrees Celsius in Fahrenheit?' });
