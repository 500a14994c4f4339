import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE_CONTENT_ENV, runTraceIds, type SpanRecord } from '../../../shared/tracing/index.ts';
import { startOtlpReceiver } from '../../support/otlp-receiver.ts';
import { useLocalServer } from '../../support/local-server.ts';

// The collector is up, and the standard variables name it, before the local system starts (as a user would run npm start).
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.endpoint;
  delete process.env.OTEL_EXPORTER_OTLP_PROTOCOL;
});
const world = useLocalServer();
afterAll(async () => {
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  delete process.env[CAPTURE_CONTENT_ENV];
  await receiver.close();
});

const SECRETS = ['AKIAIOSFODNN7EXAMPLE', 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8t', 'xoxb-1234567890-abcdefghij'];
const [awsKey, apiKey, slackToken] = SECRETS;

/** A run that carries a secret in its request, in a tool call's arguments and in the model's answer. */
const runWithSecrets = async () => {
  const response = await fetch(`${world.base}/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${world.tokenOf('adam')}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      input: `My key is ${awsKey}; how do I return an item?`,
      model: {
        provider: 'scripted',
        turns: [
          { toolCalls: [{ name: 'search_knowledge_base', arguments: { query: `return ${apiKey}` } }] },
          { text: `Done. Token ${slackToken}` },
        ],
      },
    }),
  });
  const { runId } = (await response.json()) as { runId: string };
  const deadline = Date.now() + 10_000;
  let spans: SpanRecord[] = [];
  while (!spans.some((s) => s.name === 'invoke_agent')) {
    if (Date.now() > deadline) throw new Error('the run did not end');
    await new Promise((r) => setTimeout(r, 25));
    spans = world.system.traceOf(runId);
  }
  // What the batch still holds goes out now; then the receiver has every span of the run.
  await world.system.flushTraces();
  return { runId, spans };
};
const exported = () => Buffer.concat(receiver.received.map((r) => r.body));
const CONTENT_ATTRIBUTES = ['gen_ai.input.messages', 'gen_ai.output.messages', 'gen_ai.tool.call.arguments', 'gen_ai.tool.call.result'];

describe('traces leave over OTLP, and no secret goes with them', () => {
  it('exports the run to the endpoint the standard variables name, as OTLP/protobuf by default', async () => {
    const { runId } = await runWithSecrets();
    const requests = receiver.received.filter((r) => r.path === '/v1/traces');
    expect(requests.length).toBeGreaterThan(0);
    expect(new Set(requests.map((r) => r.contentType))).toEqual(new Set(['application/x-protobuf']));
    const bytes = exported();
    // Protobuf carries the trace id as its 16 bytes and names as UTF-8.
    expect(bytes.includes(Buffer.from(runTraceIds(runId).traceId, 'hex'))).toBe(true);
    for (const name of ['invoke_agent', 'chat scripted', 'execute_tool search_knowledge_base', 'guard idempotency', 'DynamoDB.PutItem'])
      expect(bytes.includes(Buffer.from(name)), name).toBe(true);
  });

  it('keeps content out of spans by default: no prompt, answer, argument or result, so no secret', async () => {
    const { spans } = await runWithSecrets();
    const text = JSON.stringify(spans);
    for (const attribute of CONTENT_ATTRIBUTES) expect(text).not.toContain(attribute);
    for (const secret of SECRETS) {
      expect(text).not.toContain(secret);
      expect(exported().includes(Buffer.from(secret))).toBe(false);
    }
  });

  it('puts content in only when the deployer opts in, and then redacted as the audit trail is', async () => {
    process.env[CAPTURE_CONTENT_ENV] = 'true';
    try {
      const { spans } = await runWithSecrets();
      const root = spans.find((s) => s.name === 'invoke_agent') as SpanRecord;
      expect(String(root.attributes['gen_ai.input.messages'])).toContain('how do I return an item?');
      expect(String(root.attributes['gen_ai.input.messages'])).toContain('[REDACTED:aws-access-key]');
      const call = spans.find((s) => s.name === 'execute_tool search_knowledge_base') as SpanRecord;
      expect(String(call.attributes['gen_ai.tool.call.arguments'])).toContain('[REDACTED:api-key]');
      expect(call.attributes['gen_ai.tool.call.result']).toBeTypeOf('string');
      expect(String(root.attributes['gen_ai.output.messages'])).toContain('[REDACTED:slack-token]');
      const text = JSON.stringify(spans);
      for (const secret of SECRETS) {
        expect(text).not.toContain(secret);
        expect(exported().includes(Buffer.from(secret))).toBe(false);
      }
    } finally {
      delete process.env[CAPTURE_CONTENT_ENV];
    }
  });
});
