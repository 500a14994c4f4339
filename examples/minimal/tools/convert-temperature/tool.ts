import * as z from 'zod/mini';
import { boundedInt, defaultBreaker, defineTool, limitPresets } from 'guarded-agents';

/** A tool with no dependencies: its folder is this one file (a tool that needs stores adds deps.ts). */
export const convertTemperature = defineTool({
  name: 'convert_temperature',
  description:
    'Convert a temperature in whole degrees between Celsius and Fahrenheit. Returns the converted value, rounded to one decimal, and its scale.',
  input: z.strictObject({
    degrees: boundedInt({ description: 'The temperature to convert, in whole degrees, such as 21.', min: -100, max: 500 }),
    from: z.enum(['celsius', 'fahrenheit']).check(z.describe('The scale the degrees are in: celsius or fahrenheit.')),
  }),
  risk: 'read',
  limits: limitPresets.read,
  timeoutMs: 1000,
  breaker: defaultBreaker,
  handler: async ({ degrees, from }) => {
    const value = from === 'celsius' ? (degrees * 9) / 5 + 32 : ((degrees - 32) * 5) / 9;
    return { degrees: Math.round(value * 10) / 10, scale: from === 'celsius' ? 'fahrenheit' : 'celsius' };
  },
});
