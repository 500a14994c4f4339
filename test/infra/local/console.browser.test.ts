/// <reference lib="dom" />
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createApiServer, listen } from '../../../infra/local/http-server.ts';
import { loadLocalUsers } from '../../../infra/local/local-users.ts';
import { startDemoSystem, type DemoSystem } from '../../../infra/local/demo-app.ts';

// Debian's Chromium: `.ci/run` installs it (apt-get install -y chromium). No browser is downloaded.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const users = loadLocalUsers();
// In CI a missing browser is a failure; on a developer machine without Chromium the suite is skipped (and says so).
const runBrowser = existsSync(CHROMIUM) || process.env.CI === 'true';

let system: DemoSystem;
let server: Server;
let base: string;
let browser: Browser;
let page: Page;
// An uncaught error in the console's modules (one that failed to load, a name one no longer exports) fails the test it happened in.
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!runBrowser) return;
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
  // With a shadow policy on send_email: the console shows what it would have decided, and enforces nothing.
  // And with a daily budget per user: the console shows where each user stands.
  system = await startDemoSystem({
    users,
    stack: {
      policies: join(import.meta.dirname, 'console-policies'),
      spendBudgets: { limits: [{ scope: 'user', window: 'day', toolCalls: 50 }] },
    },
  });
  server = createApiServer(system.deps, users, {
    stats: system.stats,
    sentMail: system.sentMail,
    metrics: system.metrics,
    documents: system.documents.list,
  });
  base = `http://127.0.0.1:${await listen(server, 0)}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 60_000);
afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});
afterAll(async () => {
  await browser?.close();
  server?.close();
  await system?.stop();
});

const tokenOf = (userId: string) => users.find((u) => u.userId === userId)!.token;

describe.skipIf(!runBrowser)(`the console, in a real browser (${CHROMIUM})`, () => {
  it('starts a run that needs approval, lets the approver approve it, and shows the trace, the audit and the counters', async () => {
    await page.goto(`${base}/console`);
    await page.selectOption('#user', tokenOf('adam'));
    await page.selectOption('#preset', 'email');
    await page.click('#start');
    await page.waitForSelector('#calls tbody tr[data-status="awaiting_approval"]');
    // The call is shown waiting a refresh before the run's status says so: wait for the status itself.
    await page.waitForFunction(() => document.querySelector('#trace-status')?.textContent === 'WAITING_FOR_APPROVAL', undefined, {
      timeout: 10_000,
    });

    await page.selectOption('#user', tokenOf('pat'));
    // The approver sees what was asked, the exact arguments and the time left, and may give a reason.
    await page.waitForSelector('#approvals li .approval-left');
    await page.waitForSelector('#approvals li .approval-destination');
    const shown = await page.textContent('#approvals li');
    expect(shown).toContain('send_email for adam');
    expect(shown).toContain('Asked: How do I return an item?');
    // The full view, nothing cut, and the recipient on a line of its own.
    expect(shown).toContain('"to": "jane@example.com"');
    expect(shown).toContain('Sends to email jane@example.com (example.com) in to');
    expect(shown).toMatch(/\d+ min \d+ s left to decide/);
    await page.fill('#approvals .approval-reason', 'Jane asked for it');
    await page.click('#approvals button[data-decision="approve"]');
    await page.waitForFunction(() => document.querySelector('#trace-status')?.textContent === 'SUCCEEDED', undefined, { timeout: 10_000 });
    expect(await page.getAttribute('#calls tbody tr', 'data-status')).toBe('executed');
    expect(Number(await page.textContent('#trace-transitions'))).toBe(10);

    // The loop's path: the synthesized machine's states, those this run entered marked with how often (10 transitions in all).
    await page.waitForSelector('#path .state[data-state="RunEnded"].entered');
    const entered = await page.$$eval('#path .state.entered', (boxes) =>
      Object.fromEntries(boxes.map((b) => [(b as HTMLElement).dataset.state, Number((b as HTMLElement).dataset.entered)])),
    );
    expect(entered).toEqual({
      CallModel: 2,
      Route: 2,
      RunEnded: 1,
      ApproveTools: 1,
      RequestApproval: 1,
      Decided: 1,
      InvokeApproved: 1,
      ExecuteTools: 1,
    });
    expect(await page.$eval('#path .state[data-state="ApprovalDenied"]', (b) => b.className)).not.toContain('entered');
    expect(await page.textContent('#path-note')).toBe('10 state transitions · $0.000250 at Standard workflow prices');

    // The run's trace as a waterfall: each span beneath its parent, the approval wait under the approval guard.
    await page.waitForSelector('#waterfall .span-row[data-name="invoke_agent"]');
    const rows = await page.$$eval('#waterfall .span-row', (divs) =>
      divs.map((d) => `${(d as HTMLElement).dataset.depth} ${(d as HTMLElement).dataset.name}`),
    );
    expect(rows[0]).toBe('0 invoke_agent');
    expect(rows).toEqual(
      expect.arrayContaining([
        '1 chat scripted',
        '1 execute_tool send_email',
        '2 guard approval',
        '3 approval_wait',
        '2 guard idempotency',
      ]),
    );
    expect(rows.filter((r) => r.endsWith(' chat scripted'))).toHaveLength(2);
    expect(await page.textContent('#waterfall .span-row[data-name="approval_wait"] .span-detail')).toBe('approved');
    // Bars are placed through the DOM (the CSP forbids inline style markup): the run's bar spans the whole line.
    expect(await page.$eval('#waterfall .span-row[data-name="invoke_agent"] .span-bar', (bar) => (bar as HTMLElement).style.width)).toBe(
      '100%',
    );
    expect(await page.textContent('#spans-note')).toMatch(/^\d+ spans · trace [0-9a-f]{32}$/);

    await page.click('#load-audit');
    await page.waitForSelector('#audit tbody tr');
    const audit = await page.$$eval('#audit tbody tr', (rows) => rows.map((r) => (r as HTMLTableRowElement).cells[3]?.textContent));
    expect(audit.sort()).toEqual(['approved', 'executed']);
    // The decision's record shows the call's summary as text, not as a JSON-encoded string.
    const decision = await page.$$eval('#audit tbody tr', (rows) =>
      rows.map((r) => [...(r as HTMLTableRowElement).cells].map((c) => c.textContent)).find((cells) => cells[3] === 'approved'),
    );
    expect(decision?.[5]).toMatch(/^[^"]/);
    // What the policies decided for the call: permitted, and what the shadow rule would have done.
    const executed = await page.$$eval('#audit tbody tr', (rows) =>
      rows.map((r) => [...(r as HTMLTableRowElement).cells].map((c) => c.textContent)).find((cells) => cells[3] === 'executed'),
    );
    expect(executed?.[6]).toBe('permit · shadow: mail-to-example-org-only → forbid');

    await page.waitForFunction(
      () => [...document.querySelectorAll('#tools tbody tr')].some((r) => r.textContent?.startsWith('send_email1')),
      undefined,
      { timeout: 5000 },
    );
    // The mail went through the embedded SES, and the console shows what it received.
    await page.waitForSelector('#mail tbody tr');
    expect(
      await page.$$eval('#mail tbody tr', (rows) =>
        rows.map((r) => [...(r as HTMLTableRowElement).cells].slice(1).map((c) => c.textContent)),
      ),
    ).toEqual([['jane@example.com', 'Hello']]);

    // The documents of the local S3 the document tools read (the demo seeds them).
    await page.waitForSelector('#documents tbody tr[data-path="guides/returns-guide.md"]');

    // The usage report: for admins (as the approver the API's 403 shows), then the send_email call counted.
    await page.click('#load-usage');
    await page.waitForFunction(() => document.querySelector('#usage-note')?.textContent?.includes('403') === true);
    await page.selectOption('#user', tokenOf('adam'));
    await page.click('#load-usage');
    await page.waitForSelector('#usage tbody tr[data-tool="send_email"]');
    expect(
      await page.$eval('#usage tbody tr[data-tool="send_email"]', (r) => [...(r as HTMLTableRowElement).cells].map((c) => c.textContent)),
    ).toEqual(['send_email', '1', '100%', '', '0', '0', '1 / 0 / 0', expect.stringMatching(/^\d+$/), expect.stringMatching(/^\d+$/)]);
    expect(await page.textContent('#usage-note')).toMatch(/Never called: .*lookup_order/);

    // What the run cost: its tokens (none from a scripted model) and its transitions at Standard prices.
    expect(await page.textContent('#trace-cost')).toBe('Cost: no token usage reported by this model; 10 state transitions ($0.000250).');

    // The audit trail searched as an admin: the send_email call and its approval, then downloaded as JSON Lines and CSV.
    await page.fill('#audit-tool', 'send_email');
    await page.click('#audit-search');
    await page.waitForFunction(() => /^\d+ records/.test(document.querySelector('#audit-note')?.textContent ?? ''));
    expect(await page.textContent('#audit-note')).toBe('2 records.');
    expect(
      await page.$$eval('#audit-results tbody tr', (rows) => rows.map((r) => (r as HTMLTableRowElement).cells[4]?.textContent).sort()),
    ).toEqual(['approved', 'executed']);
    const [jsonl] = await Promise.all([page.waitForEvent('download'), page.click('#audit-jsonl')]);
    const lines = readFileSync((await jsonl.path()) as string, 'utf8')
      .trim()
      .split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { tool: string }).tool)).toEqual(['send_email', 'send_email']);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#audit-csv')]);
    expect(csv.suggestedFilename()).toBe('audit.csv');
    // The shadow log: the records where a shadow policy would have decided otherwise.
    await page.check('#audit-shadow');
    await page.click('#audit-search');
    await page.waitForFunction(() => document.querySelector('#audit-note')?.textContent === '1 records.');
    expect(
      await page.$$eval('#audit-results tbody tr', (rows) => rows.map((r) => (r as HTMLTableRowElement).cells[8]?.textContent)),
    ).toEqual(['permit · shadow: mail-to-example-org-only → forbid']);
    await page.uncheck('#audit-shadow');
    expect(readFileSync((await csv.path()) as string, 'utf8').split('\r\n')[0]).toMatch(/^at,runId,callId,/);

    // The runs list filtered: adam's succeeded runs only; a user naming someone else gets the API's 403.
    await page.selectOption('#runs-status', 'SUCCEEDED');
    await page.fill('#runs-user', 'adam');
    await page.dispatchEvent('#runs-user', 'change');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('#runs button')].every((b) => b.textContent?.includes(' adam [SUCCEEDED ')),
    );
    // ... and by tool: the email run asked for send_email; nothing of adam's asked for delete_document.
    await page.selectOption('#runs-tool', 'send_email');
    await page.waitForFunction(() => document.querySelectorAll('#runs button').length === 1);
    await page.selectOption('#runs-tool', 'delete_document');
    await page.waitForFunction(() => document.querySelectorAll('#runs button').length === 0);
    await page.selectOption('#runs-tool', '');
    await page.selectOption('#user', tokenOf('uma'));
    await page.waitForFunction(() => document.querySelector('#runs-error')?.textContent?.startsWith('403 FORBIDDEN') === true);
    await page.fill('#runs-user', '');
    await page.selectOption('#runs-status', '');
    await page.selectOption('#user', tokenOf('adam'));
    // The graphs over time (uPlot): what happened in the last 15 minutes, each series named after what it counts.
    await page.waitForSelector('#graph-calls canvas');
    const legend = (id: string) =>
      page.$$eval(`#${id} .u-legend .u-series .u-label`, (labels) => labels.map((l) => l.textContent).filter((t) => t));
    await page.waitForFunction(() => document.querySelector('#graph-approvals .u-legend')?.textContent?.includes('approved') === true);
    expect(await legend('graph-calls')).toContain('send_email');
    expect(await legend('graph-runs')).toContain('SUCCEEDED');
    expect(await legend('graph-approvals')).toEqual(expect.arrayContaining(['approved']));
    expect(await legend('graph-duration')).toEqual(['Time', 'p50', 'p95']);
    // Nothing was throttled: that graph says so rather than drawing eight flat lines.
    expect(await page.textContent('#graph-throttles')).toBe('Nothing in this range.');
    // The figures behind them: one send_email call, one approval, in the range's points.
    const metrics = await page.evaluate(() => fetch('/local/metrics?range=15m').then((r) => r.json()));
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    expect(sum(metrics.tools.send_email.calls)).toBe(1);
    expect(sum(metrics.approvals.approved)).toBe(1);
    expect(metrics.times).toHaveLength(60);
    const screenshot = await page.screenshot({ fullPage: true });
    expect(screenshot.subarray(1, 4).toString()).toBe('PNG');
    expect(screenshot.length).toBeGreaterThan(20_000);
    // The layout, compared by where things are rather than by pixels: three columns (start, trace, side)
    // side by side in that order, then the graphs, the audit and the usage across the whole width.
    const box = async (selector: string) => (await page.locator(selector).boundingBox()) as { x: number; y: number; width: number };
    const [startPanel, tracePanel, sidePanel, graphsPanel, auditPanel] = await Promise.all(
      ['#start-panel', '#trace-panel', '#side-panel', '#graphs-panel', '#audit-panel'].map(box),
    );
    expect(startPanel!.x).toBeLessThan(tracePanel!.x);
    expect(tracePanel!.x).toBeLessThan(sidePanel!.x);
    expect(new Set([startPanel!.y, tracePanel!.y, sidePanel!.y]).size).toBe(1);
    expect(tracePanel!.width).toBeGreaterThan(startPanel!.width);
    expect(graphsPanel!.y).toBeGreaterThan(tracePanel!.y);
    expect(graphsPanel!.width).toBeGreaterThan(startPanel!.width + tracePanel!.width);
    expect(auditPanel!.y).toBeGreaterThan(graphsPanel!.y);

    // The runs list comes from GET /runs: after a reload it is still there, each run told apart by its time, owner, status and request.
    await page.reload();
    await page.selectOption('#user', tokenOf('adam'));
    await page.waitForFunction(() => [...document.querySelectorAll('#runs button')].some((b) => b.textContent?.includes('[SUCCEEDED ')));
    expect(await page.$$eval('#runs button', (buttons) => buttons.map((b) => b.textContent))).toContainEqual(
      expect.stringMatching(/^\d\d:\d\d:\d\d adam \[SUCCEEDED 2 it\. 1 call \d+\.\d s\] /),
    );
  }, 60_000);

  it('shows model output as text: markup in an answer is never rendered', async () => {
    await page.selectOption('#user', tokenOf('uma'));
    await page.selectOption('#preset', 'custom');
    await page.fill(
      '#script',
      JSON.stringify({ provider: 'scripted', turns: [{ text: '<img id="pwned" src="x" onerror="document.title=1"><b id="bold">hi</b>' }] }),
    );
    await page.click('#start');
    await page.waitForFunction(() => document.querySelector('#trace-output')?.textContent?.includes('bold') === true);
    expect(await page.textContent('#trace-status')).toBe('SUCCEEDED');
    expect(await page.$('#pwned')).toBeNull();
    expect(await page.$('#bold')).toBeNull();
    expect(await page.textContent('#trace-output')).toContain('<b id="bold">hi</b>');
  });

  it('lets an approver hand an approval to a colleague, who approves it as asked (a delegate cannot edit it): the email goes once', async () => {
    const before = (await system.sentMail()).length;
    await page.selectOption('#user', tokenOf('adam'));
    await page.selectOption('#preset', 'email');
    await page.click('#start');
    await page.waitForFunction(() => document.querySelector('#trace-status')?.textContent === 'WAITING_FOR_APPROVAL', undefined, {
      timeout: 10_000,
    });
    await page.selectOption('#user', tokenOf('pat'));
    await page.waitForSelector('#approvals li .approval-hand-to');
    await page.fill('#approvals li .approval-hand-to', 'uma');
    await page.click('#approvals li button[data-decision="delegate"]');
    await page.waitForFunction(() => document.querySelector('#approvals li')?.textContent?.includes('Handed to uma.') === true);
    // Uma is no approver: the approval handed to her is the one she sees; she decides it as asked.
    await page.selectOption('#user', tokenOf('uma'));
    await page.waitForFunction(() => document.querySelector('#approvals li')?.textContent?.includes('Handed to uma by pat') === true);
    await page.click('#approvals li button[data-decision="approve"]');
    await page.waitForFunction(() => document.querySelector('#trace-status')?.textContent === 'SUCCEEDED', undefined, { timeout: 10_000 });
    const sent = (await system.sentMail()).slice(before);
    expect(sent.map((m) => m.destination.to)).toEqual([['jane@example.com']]);
  }, 60_000);

  it("shows the acting user's budgets: each cap, what the day has spent of it", async () => {
    await page.goto(`${base}/console`);
    await page.selectOption('#user', tokenOf('adam'));
    await page.waitForSelector('#budgets tbody tr');
    const rows = await page.$$eval('#budgets tbody tr', (trs) =>
      trs.map((r) => [...(r as HTMLTableRowElement).cells].map((c) => c.textContent)),
    );
    // The period a daily budget counts in is its day (UTC).
    expect(rows).toEqual([['user adam', expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), 'toolCalls', expect.stringMatching(/^\d+ of 50$/)]]);
    expect(await page.isHidden('#budgets-panel')).toBe(false);
  }, 60_000);

  it("shows the acting user's MCP label while it holds, and clears it", async () => {
    // olga's MCP session reads a document anyone could have written: her label holds.
    const transport = new StreamableHTTPClientTransport(new URL('/mcp', base), {
      requestInit: { headers: { authorization: `Bearer ${tokenOf('olga')}` } },
    });
    const client = new Client({ name: 'console-test', version: '1.0.0' });
    await client.connect(transport);
    await client.callTool({ name: 'read_document', arguments: { path: 'guides/returns-guide.md' } });
    await client.close();
    await page.selectOption('#user', tokenOf('olga'));
    await page.waitForFunction(() => document.querySelector('#mcp-label')?.textContent?.includes('read_document') === true, undefined, {
      timeout: 10_000,
    });
    await page.click('#mcp-label-clear');
    await page.waitForFunction(() => (document.querySelector('#mcp-label-panel') as HTMLElement | null)?.hidden === true);
    expect(await system.deps.mcpLabels?.get('olga')).toBeUndefined();
  }, 60_000);
});
