/**
 * The app's tool behind every guard, on the same embedded parts `npm start` uses (node's own test
 * runner: `npm test`). A team's tests of its tools look like this.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startLocalSystem, type LocalSystem } from 'guarded-agents/local';
import { MinimalStack } from '../stack.ts';

let system: LocalSystem;
const user = { userId: 'uma', groups: ['user'] };

before(async () => {
  system = await startLocalSystem({ app: { agent: (app) => new MinimalStack(app, 'Test').agent } });
});
after(() => system.stop());

test('converts Celsius to Fahrenheit', async () => {
  assert.deepEqual(await system.callTool({ tool: 'convert_temperature', arguments: { degrees: 100, from: 'celsius' }, caller: user }), {
    ok: true,
    data: { degrees: 212, scale: 'fahrenheit' },
  });
});

test('refuses an argument outside its schema before the handler runs', async () => {
  const result = await system.callTool({ tool: 'convert_temperature', arguments: { degrees: 21, from: 'kelvin' }, caller: user });
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.error.code, 'VALIDATION_FAILED');
});

test('refuses unknown keys: schemas are strict', async () => {
  const result = await system.callTool({
    tool: 'convert_temperature',
    arguments: { degrees: 21, from: 'celsius', note: 'x' },
    caller: user,
  });
  assert.equal(!result.ok && result.error.code, 'VALIDATION_FAILED');
});
