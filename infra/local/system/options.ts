import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ModelProvider } from '../../../shared/model/index.ts';
import type { BucketLimit } from '../../../shared/tool/index.ts';
import type { LocalApp } from '../local-app.ts';
import type { LocalUser } from '../local-users.ts';

/** `LocalSystemOptions.approvalGraceMs`'s default. */
export const DEFAULT_APPROVAL_GRACE_MS = 1000;

/**
 * How `startLocalSystem` runs a team's app: the app, where data lives, the model per run,
 * timeouts, and hooks for tests (fault injection).
 */
export interface LocalSystemOptions {
  /** The app to run: the stack holding its GuardedAgent, and its seed. */
  readonly app: LocalApp;
  /** Keep DynamoDB and S3 (the documents) in this folder, so they survive a restart. @default in memory (S3 in a temporary folder) */
  readonly dataDir?: string;
  /** How long an approval waits. @default 10 minutes */
  readonly approvalTimeoutMs?: number;
  /**
   * How much longer than the approval's expiry its execution waits before the call expires
   * (deployed: `APPROVAL_TASK_GRACE_SECONDS`, a minute, covering the API function's timeout and
   * Lambda's clocks; here requests take milliseconds and every function shares one clock). @default 1 second
   */
  readonly approvalGraceMs?: number;
  /** How often escalation runs, where the app declares `approvalEscalation` (deployed: every minute). @default 1 second */
  readonly escalationSweepMs?: number;
  /**
   * How often the API's sweep delivers decisions it stored but could not deliver (an outage longer
   * than its retries; deployed: every minute). @default 500 ms
   */
  readonly decisionSweepMs?: number;
  /** Stands in for the internet in fetch_url (and remote MCP servers' tools). @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /**
   * Secrets Manager's secrets on this machine, by name (e.g. a remote MCP server's credentials,
   * `{ "docs-mcp": '{"bearerToken":"..."}' }`). Functions read them through the SDK client, checked
   * against their roles. @default none
   */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Users whose approver identities Slack may act as (Slack user id `U` + upper-case user id). */
  readonly users?: readonly LocalUser[];
  /** Signs local Slack callbacks. @default LOCAL_SLACK_SIGNING_SECRET or 'local-slack-signing-secret' */
  readonly slackSigningSecret?: string;
  /** Per-user limit on starting runs. @default the API's (5 in a burst, 10 a minute) */
  readonly runLimit?: BucketLimit;
  /**
   * Another DynamoDB engine instead of the in-process dynalite, e.g. DynamoDB Local (CI runs the
   * end-to-end suites on it: it has transactions, dynalite has not). Tables get a prefix of their
   * own: the same one for the same `dataDir` (so data survives a restart), else a fresh one.
   * @default DYNAMODB_ENDPOINT, else dynalite
   */
  readonly dynamoDbEndpoint?: string;
  /**
   * The model each run talks to, chosen per run (a benchmark's scripted agents, a team's own
   * provider in its tests). A run started with a scripted `model` in its request still plays that.
   * @default the configured provider (MODEL_PROVIDER, as deployed), else the demo model
   */
  readonly model?: (run: LocalModelRun) => ModelProvider | undefined;
  /**
   * Called with each function's DynamoDB client as it is made (the function's name: a tool's, or
   * CallModel, Api, Mcp, RequestApproval): `npm run sim` injects its faults there. @default none
   */
  readonly instrumentDynamoDb?: (functionName: string, client: DynamoDBClient) => void;
  /**
   * Wraps each Lambda invocation the state machine makes (a tool's function, or CallModel), with the
   * function's name: `npm run sim` injects crashes and duplicate invocations there. @default none
   */
  readonly instrumentInvoke?: <T>(functionName: string, invoke: () => Promise<T>) => Promise<T>;
  /**
   * The pause before each retry the state machine's `Retry` fields ask for, in milliseconds, in
   * place of their `IntervalSeconds` and `BackoffRate` (the retries themselves, and how many, stay
   * as synthesized): `npm run sim` sets 0, so its time is virtual. @default as synthesized
   */
  readonly retryPauseMs?: number;
}

/** What `LocalSystemOptions.model` is told of a run: whose it is and what was asked. */
export interface LocalModelRun {
  readonly runId: string;
  readonly userId: string;
  readonly input: string;
}

/**
 * One run's execution in the local state machine: the states it entered, its largest state, where
 * it failed (for a redrive), and when it has finished.
 */
export interface LocalExecution {
  /** States entered, in order: what a Standard workflow bills (a redrive's continue the list). */
  readonly states: string[];
  largestStateBytes: number;
  finished: Promise<void>;
  /** Where a failed execution failed: the top-level state it was in, and that state's input (what a redrive starts from). */
  failedAt?: { readonly state: string; readonly input: unknown };
}
