/**
 * `guarded-agents/tracing`: OpenTelemetry spans of each run by the GenAI conventions (one trace per
 * run), and the SDK that records and exports them. Loads the OpenTelemetry SDK, an optional peer
 * dependency: `npm install` the `tracing` peers (docs/tracing.md) before importing this.
 */
export * from './tracing/index.ts';
export * from './tracing-sdk/index.ts';
