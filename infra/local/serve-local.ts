import { createApiServer, listen } from './http-server.ts';
import type { LocalApp } from './local-app.ts';
import { loadLocalUsers } from './local-users.ts';
import { loadLocalSecrets } from './local-secrets.ts';
import { startLocalSystem } from './local-system.ts';

/**
 * Serves an app's HTTP API (DESIGN.md) on PORT (default 3000) with the console, on one machine with
 * no AWS account, until SIGINT or SIGTERM: what `npm start` runs for the demo app, and what a team's
 * own app calls for its agent. Data is in memory unless DATA_DIR names a folder; identities come
 * from the users file (LOCAL_USERS_FILE, default the bundled local-users.json).
 *
 * @example
 * await serveLocal({ agent: (app) => new MyStack(app, 'Local').agent }, { example: 'What can you do?' });
 */
export const serveLocal = async (app: LocalApp, options: { readonly example?: string } = {}): Promise<void> => {
  // Each call's log line and EMF metrics go to stdout when deployed; locally they would drown the
  // console, so they are off unless asked for (POWERTOOLS_LOG_LEVEL=INFO, POWERTOOLS_METRICS_DISABLED=false).
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`PORT must be a port number, not ${process.env.PORT}`);
    process.exit(1);
  }

  try {
    const users = loadLocalUsers();
    const system = await startLocalSystem({
      app,
      ...(process.env.DATA_DIR ? { dataDir: process.env.DATA_DIR } : {}),
      ...(process.env.APPROVAL_TIMEOUT_SECONDS ? { approvalTimeoutMs: Number(process.env.APPROVAL_TIMEOUT_SECONDS) * 1000 } : {}),
      ...(process.env.LOCAL_SECRETS_FILE ? { secrets: loadLocalSecrets(process.env.LOCAL_SECRETS_FILE) } : {}),
      users,
    });
    const server = createApiServer(system.deps, users, {
      onUnexpected: (error) => console.error('unexpected error:', error instanceof Error ? error.name : 'Error'),
      stats: system.stats,
      sentMail: system.sentMail,
      metrics: system.metrics,
      documents: system.documents.list,
    });
    let actual: number;
    try {
      actual = await listen(server, port);
    } catch (error) {
      console.error((error as Error).message);
      await system.stop();
      process.exit(1);
    }
    const base = `http://127.0.0.1:${actual}`;
    console.log(
      `guarded-agents local: ${base} (ready ${Math.round(performance.now())} ms after the process started; data ${process.env.DATA_DIR ? `in ${process.env.DATA_DIR}` : 'in memory'})`,
    );
    if (system.resumed.length > 0) console.log(`Resumed ${system.resumed.length} unfinished run(s) from their last saved step.`);
    console.log('Local identities (Authorization: Bearer <token>):');
    for (const user of users) console.log(`  ${user.token.padEnd(24)} ${user.userId.padEnd(8)} ${user.groups.join(', ')}`);
    const admin = users.find((u) => u.groups.includes('admin')) ?? users[0];
    console.log(`Console: ${base}/console`);
    console.log(
      `Try: curl -s -X POST ${base}/runs -H 'Authorization: Bearer ${admin?.token}' -H 'content-type: application/json' -d '${JSON.stringify({ input: options.example ?? 'What can you do?' })}'`,
    );

    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`${signal}: stopping`);
      server.close();
      await system.stop();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
  } catch (error) {
    console.error(`Could not start: ${(error as Error).message}`);
    process.exit(1);
  }
};
