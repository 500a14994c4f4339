import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import * as FunctionEnv from '#functions/commons/env/function-env.ts';
import { json, oneOf, requiredJson, requiredSeconds, seconds, text, textOr } from '#functions/commons/env/env-var.ts';
import { FlowMode } from '#shared/guards/index.ts';

describe('FunctionEnv: one typed table of the variables the construct sets and the functions read', () => {
  it('names each variable as its key in the table, so the writer and the reader cannot disagree', () => {
    const table = Object.entries(FunctionEnv);
    expect(table.length).toBeGreaterThan(20);
    for (const [key, variable] of table) expect(variable.name).toBe(key);
  });

  it('reads the information-flow mode: absent is approve, every mode reads back, anything else fails naming the variable', () => {
    expect(FunctionEnv.INFORMATION_FLOW.read({})).toBe(FlowMode.APPROVE);
    for (const mode of Object.values(FlowMode)) expect(FunctionEnv.INFORMATION_FLOW.read({ INFORMATION_FLOW: mode })).toBe(mode);
    expect(() => FunctionEnv.INFORMATION_FLOW.read({ INFORMATION_FLOW: 'aprove' })).toThrow(
      'INFORMATION_FLOW must be one of approve, refuse, off; got "aprove"',
    );
  });

  it('reads JSON settings with their schema; a malformed one fails the cold start with the name', () => {
    expect(FunctionEnv.RUN_BUDGET.read({})).toBeUndefined();
    expect(FunctionEnv.RUN_BUDGET.read({ RUN_BUDGET: '{"toolCalls":3}' })).toEqual({ toolCalls: 3 });
    expect(() => FunctionEnv.RUN_BUDGET.read({ RUN_BUDGET: '{"toolCalls":"many"}' })).toThrow('RUN_BUDGET is not valid JSON');
    expect(() => FunctionEnv.RUN_BUDGET.read({ RUN_BUDGET: 'not json' })).toThrow('RUN_BUDGET is not valid JSON');
    expect(FunctionEnv.TOOL_FUNCTIONS.read({ TOOL_FUNCTIONS: '{"lookup_order":"fn-1"}' })).toEqual({ lookup_order: 'fn-1' });
    expect(() => FunctionEnv.TOOL_FUNCTIONS.read({})).toThrow('Missing required environment variable TOOL_FUNCTIONS');
  });

  it('reads flags, seconds, text and defaults as the construct writes them', () => {
    expect(FunctionEnv.ALLOW_SCRIPTED_MODEL.read({ ALLOW_SCRIPTED_MODEL: 'true' })).toBe(true);
    expect(FunctionEnv.ALLOW_SCRIPTED_MODEL.read({ ALLOW_SCRIPTED_MODEL: 'false' })).toBe(false);
    expect(FunctionEnv.ALLOW_SCRIPTED_MODEL.read({})).toBe(false);
    expect(FunctionEnv.APPROVAL_TIMEOUT_SECONDS.read({ APPROVAL_TIMEOUT_SECONDS: '600' })).toBe(600);
    expect(() => FunctionEnv.APPROVAL_TIMEOUT_SECONDS.read({ APPROVAL_TIMEOUT_SECONDS: '1.5' })).toThrow(
      'APPROVAL_TIMEOUT_SECONDS must be a whole number of seconds',
    );
    expect(() => FunctionEnv.APPROVAL_TIMEOUT_SECONDS.read({})).toThrow('Missing required environment variable APPROVAL_TIMEOUT_SECONDS');
    expect(FunctionEnv.MCP_LABEL_SECONDS.read({})).toBeUndefined();
    expect(FunctionEnv.SLACK_SECRET_ARN.read({ SLACK_SECRET_ARN: '' })).toBeUndefined();
    expect(FunctionEnv.POWERTOOLS_METRICS_NAMESPACE.read({})).toBe('GuardedAgents');
    expect(FunctionEnv.POWERTOOLS_METRICS_NAMESPACE.read({ POWERTOOLS_METRICS_NAMESPACE: 'Team' })).toBe('Team');
  });

  it('reads process.env when no environment is given', () => {
    process.env.MCP_LABEL_SECONDS = '60';
    try {
      expect(FunctionEnv.MCP_LABEL_SECONDS.read()).toBe(60);
    } finally {
      delete process.env.MCP_LABEL_SECONDS;
    }
  });
});

describe('the kinds of variable', () => {
  it('never echo more than a bounded slice of a malformed value', () => {
    const long = 'x'.repeat(5000);
    const messages = [
      () => json('J', z.strictObject({})).read({ J: long }),
      () => oneOf('O', ['a', 'b'], 'a').read({ O: long }),
      () => seconds('S').read({ S: long }),
    ].map((read) => {
      try {
        read();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    });
    for (const message of messages) {
      expect(message.length).toBeGreaterThan(0);
      expect(message.length).toBeLessThan(300);
    }
  });

  it('treat an empty value as absent', () => {
    expect(text('T').read({ T: '' })).toBeUndefined();
    expect(textOr('T', 'd').read({ T: '' })).toBe('d');
    expect(json('J', z.number()).read({ J: '' })).toBeUndefined();
    expect(() => requiredJson('J', z.number()).read({ J: '' })).toThrow('Missing required environment variable J');
    expect(() => requiredSeconds('S').read({ S: '' })).toThrow('Missing required environment variable S');
    expect(oneOf('O', ['a', 'b'], 'b').read({ O: '' })).toBe('b');
  });
});
