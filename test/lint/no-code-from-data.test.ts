import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();
const problems = async (code: string, filePath: string) =>
  (await eslint.lintText(code, { filePath }))[0]?.messages.map((m) => m.ruleId) ?? [];

describe('lint: model output is never run as code', () => {
  const forbidden = {
    eval: 'export const f = (s: string) => eval(s);',
    'new Function': "export const f = new Function('return 1');",
    'Function()': "export const f = Function('return 1');",
    'setTimeout with a string': "setTimeout('alert(1)', 1);",
    vm: "import { runInNewContext } from 'node:vm';\nexport const f = runInNewContext;",
    child_process: "import { exec } from 'child_process';\nexport const f = exec;",
    'constructor escape': "export const f = ({}).constructor.constructor('return 1');",
  };
  for (const [what, code] of Object.entries(forbidden)) {
    it(`forbids ${what} in shared/ and functions/`, async () => {
      expect(await problems(code, 'shared/x.ts')).not.toEqual([]);
      expect(await problems(code, 'functions/tools/x/tool.ts')).not.toEqual([]);
    });
  }
  it('allows ordinary code', async () => {
    expect(await problems('export const f = (s: string): number => s.length;\n', 'shared/x.ts')).toEqual([]);
  });
});
