import { GENESIS } from '#shared/audit/index.ts';
import { describe, expect, it } from 'vitest';
import { recordApproval } from '../../support/demo-approval.ts';
import { system, bundles, useBundleSystem, invoke, scriptedRun, call, mcpPost } from './bundle-harness.ts';

// The demo deployment's every bundle, called once each as Lambda would call it.
useBundleSystem({ demo: true });

describe("every synthesized bundle answers a real call with the template's environment", () => {
  it('has a bundle for each of the 13 functions', () => {
    expect([...bundles.keys()].sort()).toEqual([
      'Api',
      'CallModel',
      'Mcp',
      'RequestApproval',
      'create_ticket',
      'delete_document',
      'fetch_url',
      'lookup_order',
      'publish_announcement',
      'read_document',
      'refund_order',
      'search_knowledge_base',
      'send_email',
    ]);
  });

  it.each([
    ['lookup_order', call('lookup_order', { orderId: 'ORD-104233' })],
    ['search_knowledge_base', call('search_knowledge_base', { query: 'return an item' })],
    [
      'create_ticket',
      call('create_ticket', { title: 'Printer', description: 'It jams.', priority: 'low' }, { userId: 'olga', groups: ['operator'] }),
    ],
  ])('%s: the whole pipeline and the handler, against the embedded DynamoDB', async (tool, event) => {
    expect(await invoke(tool, event)).toMatchObject({ ok: true });
  });

  /** The call with a decided approval recorded for it, by another approver. */
  const approve = async (event: ReturnType<typeof call>) => ({
    ...event,
    approvalId: await recordApproval(system, {
      runId: event.runId,
      callId: event.callId,
      tool: event.tool,
      args: event.arguments,
      requestedBy: event.caller.userId,
    }),
  });
  const admin = { userId: 'adam', groups: ['admin'] };

  it('read_document: reads the object from the embedded S3 (a range), and a missing key is "no such document"', async () => {
    expect(await invoke('read_document', call('read_document', { path: 'policies/leave-policy.md' }))).toMatchObject({
      ok: true,
      data: { text: expect.stringContaining('28 days'), truncated: false },
    });
    expect(await invoke('read_document', { ...call('read_document', { path: 'policies/nope.md' }), callId: 'c1-2' })).toMatchObject({
      ok: false,
      error: { code: 'TOOL_FAILED', retryable: false, message: 'No document at policies/nope.md.' },
    });
  });

  it('delete_document: with a recorded approval, deletes the object from the embedded S3', async () => {
    await system.documents.put('drafts/old.md', 'old');
    expect(await invoke('delete_document', await approve(call('delete_document', { path: 'drafts/old.md' }, admin)))).toEqual({
      ok: true,
      data: { deleted: 'drafts/old.md' },
    });
    expect(await system.documents.exists('drafts/old.md')).toBe(false);
  });

  it("send_email: with a recorded approval, sends through the embedded SES v2 from the template's sender", async () => {
    const result = await invoke(
      'send_email',
      await approve(call('send_email', { to: 'jane@example.com', subject: 'Bundled', body: 'From the bundle.' }, admin)),
    );
    expect(result).toMatchObject({ ok: true, data: { messageId: expect.any(String) } });
    expect(await system.sentMail()).toContainEqual(
      expect.objectContaining({
        messageId: (result as { data: { messageId: string } }).data.messageId,
        from: 'agent@example.com',
        subject: 'Bundled',
      }),
    );
  });

  it('fetch_url: loads and runs its pipeline (a refused call, the internet not contacted)', async () => {
    expect(await invoke('fetch_url', call('fetch_url', { url: 'http://169.254.169.254/latest/meta-data/' }))).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
  });

  it('publish_announcement: with a recorded approval by another approver, as deployed', async () => {
    expect(
      await invoke(
        'publish_announcement',
        await approve(call('publish_announcement', { title: 'Office closed', body: 'On Friday.' }, admin)),
      ),
    ).toMatchObject({ ok: true });
  });

  it('CallModel: loads the run, converses (a scripted run) and saves the step', async () => {
    const runId = 'run-bundle-call-model';
    await scriptedRun(runId, [{ text: 'Hello.' }]);
    // The stack does not allow scripted runs unless told to; this one is told to.
    expect(await invoke('CallModel', { runId }, { ALLOW_SCRIPTED_MODEL: 'true' })).toEqual({ runId, done: true });
    expect((await system.runs.load(runId))?.run).toMatchObject({ status: 'SUCCEEDED', output: 'Hello.' });
    // The run ended: its audit chain (empty: no tool was called) archived by the bundle's own S3 client.
    expect(await system.deps.auditArchive?.get(runId)).toMatchObject({ runId, head: GENESIS, records: [] });
  });

  it('RequestApproval: records the approval with its token', async () => {
    const item = {
      functionName: 'send_email',
      summary: '{}',
      shown: '{}',
      invocation: {
        runId: 'run-bundle-approval',
        callId: 'c1-1',
        tool: 'send_email',
        caller: { userId: 'adam', groups: ['admin'] },
        arguments: { to: 'jane@example.com' },
        receipt: true,
      },
    };
    expect(await invoke('RequestApproval', { taskToken: 'token-from-step-functions', item })).toEqual({
      approvalId: 'run-bundle-approval.c1-1',
    });
    expect(await system.approvals.get('run-bundle-approval.c1-1')).toMatchObject({ status: 'PENDING', requestedBy: 'adam' });
  });

  it('Api: answers API Gateway events, with identity from the Cognito claims', async () => {
    expect(
      await invoke('Api', { httpMethod: 'GET', path: '/health', headers: {}, body: null, isBase64Encoded: false, requestContext: {} }),
    ).toMatchObject({ statusCode: 200 });
    const tools = await invoke('Api', {
      httpMethod: 'GET',
      path: '/tools',
      headers: {},
      body: null,
      isBase64Encoded: false,
      requestContext: { authorizer: { claims: { sub: 'uma', 'cognito:groups': 'user' } } },
    });
    expect(tools).toMatchObject({ statusCode: 200 });
    expect(String(tools.body)).toContain('lookup_order');
  });

  it('Mcp: answers an MCP tools/list as API Gateway delivers it, the caller from the Cognito claims', async () => {
    const mcp = (body: unknown) => invoke('Mcp', mcpPost(body));
    const listed = await mcp({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(listed).toMatchObject({ statusCode: 200 });
    const names = (JSON.parse(String(listed.body)) as { result: { tools: Array<{ name: string }> } }).result.tools.map((t) => t.name);
    expect(names).toContain('lookup_order');
    expect(names).not.toContain('send_email');
    expect(
      await invoke('Mcp', { httpMethod: 'GET', path: '/mcp', headers: {}, body: null, isBase64Encoded: false, requestContext: {} }),
    ).toMatchObject({
      statusCode: 405,
    });
  });
});
