import * as z from 'zod/mini';

/**
 * A setting the construct writes as JSON into a function's environment, parsed with its schema.
 * Absent: undefined. Malformed: the cold start fails with the variable's name, so a function never
 * runs without the settings (caps, escalation) it was given.
 */
export const jsonFromEnv = <T>(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  schema: z.ZodMiniType<T>,
): T | undefined => {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  const result = z.safeParse(schema, value);
  if (!result.success) throw new Error(`${name} is not valid JSON of the expected shape: ${raw.slice(0, 200)}`);
  return result.data;
};
