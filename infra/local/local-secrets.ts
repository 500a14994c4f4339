import { readFileSync } from 'node:fs';

/**
 * The local Secrets Manager's secrets from a JSON file (LOCAL_SECRETS_FILE): an object of secret
 * name to its value, a string as stored, or JSON (written as the secret's text), e.g.
 * `{ "docs-mcp": { "bearerToken": "..." } }`. Keep the file out of version control.
 */
export const loadLocalSecrets = (file: string): Record<string, string> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`LOCAL_SECRETS_FILE ${file} could not be read as JSON (${(error as Error).message})`, { cause: error });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error(`LOCAL_SECRETS_FILE ${file} must be a JSON object of secret name to value`);
  return Object.fromEntries(
    Object.entries(parsed).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]),
  );
};
