import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();
const deepImportErrors = async (specifier: string, filePath: string) =>
  (await eslint.lintText(`import { x } from '${specifier}';\nexport const y = x;\n`, { filePath }))[0]?.messages.filter(
    (m) => m.ruleId === 'no-restricted-imports',
  ).length ?? 0;

describe("lint: a capability's index.ts (and its middleware.ts) is its surface", () => {
  it('refuses a file behind the index from functions/, infra/, tests and the package entry modules', async () => {
    expect(await deepImportErrors('../../../shared/breaker/dynamodb-breaker-store.ts', 'functions/tools/x/tool.ts')).toBe(1);
    expect(await deepImportErrors('#shared/breaker/dynamodb-breaker-store.ts', 'functions/commons/x.ts')).toBe(1);
    expect(await deepImportErrors('../../shared/tool/lint/lint-tools.ts', 'infra/guarded-agent/x.ts')).toBe(1);
    expect(await deepImportErrors('../../shared/breaker/errors.ts', 'test/infra/x.test.ts')).toBe(1);
    expect(await deepImportErrors('../../../shared/breaker/errors.ts', 'test/shared/idempotency/x.test.ts')).toBe(1);
    expect(await deepImportErrors('./breaker/errors.ts', 'shared/stores.ts')).toBe(1);
    // Inside shared/ too: one capability reaches another through its index, however deep the file.
    expect(await deepImportErrors('../breaker/errors.ts', 'shared/pipeline/x.ts')).toBe(1);
    expect(await deepImportErrors('../../../argument-types/bounded-text.ts', 'shared/tool/lint/rules/x.ts')).toBe(1);
  });

  it('takes the index and the middleware, the package entry modules, a capability’s own files, and its own tests', async () => {
    expect(await deepImportErrors('../../../shared/breaker/index.ts', 'functions/tools/x/tool.ts')).toBe(0);
    expect(await deepImportErrors('#shared/breaker/index.ts', 'functions/commons/x.ts')).toBe(0);
    expect(await deepImportErrors('#shared/breaker/middleware.ts', 'test/infra/x.test.ts')).toBe(0);
    expect(await deepImportErrors('../../shared/stores.ts', 'infra/x/x.ts')).toBe(0);
    expect(await deepImportErrors('./breaker/index.ts', 'shared/stores.ts')).toBe(0);
    expect(await deepImportErrors('../breaker/index.ts', 'shared/pipeline/x.ts')).toBe(0);
    expect(await deepImportErrors('./errors.ts', 'shared/breaker/x.ts')).toBe(0);
    expect(await deepImportErrors('../../roles.ts', 'shared/tool/lint/rules/x.ts')).toBe(0);
    expect(await deepImportErrors('../../../shared/breaker/errors.ts', 'test/shared/breaker/x.test.ts')).toBe(0);
  });
});
