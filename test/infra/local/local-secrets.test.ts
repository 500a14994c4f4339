import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLocalSecrets } from '../../../infra/local/local-secrets.ts';

const fileWith = (text: string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'local-secrets-')), 'secrets.json');
  writeFileSync(file, text);
  return file;
};

describe('loadLocalSecrets (LOCAL_SECRETS_FILE)', () => {
  it('keeps strings as stored and writes JSON values as the secret’s text', () => {
    expect(loadLocalSecrets(fileWith('{"plain":"abc","docs-mcp":{"bearerToken":"t-123456789"}}'))).toEqual({
      plain: 'abc',
      'docs-mcp': '{"bearerToken":"t-123456789"}',
    });
  });

  it('says which file is wrong, and how', () => {
    expect(() => loadLocalSecrets(fileWith('not json'))).toThrow(/could not be read as JSON/);
    expect(() => loadLocalSecrets(fileWith('["a"]'))).toThrow(/must be a JSON object of secret name to value/);
    expect(() => loadLocalSecrets('/nonexistent/secrets.json')).toThrow(/LOCAL_SECRETS_FILE \/nonexistent\/secrets.json/);
  });
});
