/**
 * `guarded-agents/local`: a team's own app on one machine, with no AWS account, as `npm start` runs
 * the demo: its stack synthesized, its state machine run by aws-local-stepfunctions, DynamoDB, S3 and
 * SES embedded, each function's calls checked against the role CDK gives it.
 */
export type { LocalApp, LocalSeedContext } from './local-app.ts';
export { startLocalSystem, type LocalModelRun, type LocalSystem, type LocalSystemOptions } from './local-system.ts';
export { serveLocal } from './serve-local.ts';
export { createApiServer, listen } from './http-server.ts';
export type { LocalUser } from './local-users.ts';
