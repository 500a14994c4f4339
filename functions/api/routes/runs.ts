import { runTraceIds } from '../../../shared/tracing/index.ts';
import { compareWithAnchors, compareWithArchive, latestAnchor, reachedTool, verifyChain } from '../../../shared/audit/index.ts';
import { planBucket } from '../../../shared/rate-limit/index.ts';
import { effectiveBudget, RunStatus, sentArguments, startingRun, spentOf, TERMINAL_STATUSES } from '../../../shared/runs/index.ts';
import { Role } from '../../../shared/tool/index.ts';
import { badRequest, forbidden, notFound, tooManyRequests } from '../http-error.ts';
import { decodeRunCursor, listRunsSchema, startRunSchema } from '../request-schemas.ts';
import type { Route } from '../api-deps.ts';
import { spenderFor, parseJson, parseWith, ownRun, argumentsShown } from '../route-helpers.ts';

/** A run: start it, list them, read one, its audit trail and its verification, its trace and its path. */
export const runRoutes: readonly Route[] = [
  {
    method: 'POST',
    pattern: /^\/runs$/,
    authenticated: true,
    handler: async (request, _params, deps) => {
      const { identity } = request;
      const body = parseWith(startRunSchema, parseJson(request.body));
      if (body.model && !deps.allowScriptedModel) throw badRequest('A scripted model is not enabled on this deployment.');
      if (body.budget?.usd !== undefined && !deps.prices)
        throw badRequest('This deployment declares no model prices, so a budget in dollars cannot be kept; set tokens instead.');
      const budget = effectiveBudget(body.budget, deps.runBudget);
      const { tenant } = spenderFor(identity, deps.spend?.budgets);
      const limit = deps.runLimit ?? { capacity: 5, refillPerMinute: 10 };
      const taken = await deps.runBuckets.take(`runs#user#${identity.userId}`, planBucket(limit));
      if (!taken.admitted) {
        throw tooManyRequests('Too many runs started', taken.retryAfterMs);
      }
      const runId = deps.newRunId();
      await deps.runs.create(
        startingRun(
          {
            runId,
            owner: identity.userId,
            groups: [...identity.groups],
            ...(tenant === undefined ? {} : { tenant }),
            input: body.input,
            maxIterations: body.maxIterations ?? 10,
            ...(body.model ? { script: body.model } : {}),
            ...(budget ? { budget } : {}),
          },
          new Date((deps.now ?? Date.now)()),
        ),
      );
      await deps.startExecution(runId);
      return { status: 202, body: { runId, status: RunStatus.RUNNING } };
    },
  },

  {
    method: 'GET',
    pattern: /^\/runs$/,
    authenticated: true,
    handler: async (request, _params, deps) => {
      const { identity } = request;
      const query = parseWith(listRunsSchema, request.query);
      const admin = identity.groups.includes(Role.ADMIN);
      if (!admin && query.user !== undefined && query.user !== identity.userId)
        throw forbidden("Only admins may list another user's runs.");
      // Everyone's for an admin who names nobody; else one user's (ByOwner).
      const owner = admin ? query.user : identity.userId;
      const cursor = query.nextToken === undefined ? undefined : decodeRunCursor(query.nextToken);
      // A listing of one owner continues in that owner's partition only.
      if (cursor?.key && owner !== undefined && cursor.key.owner?.S !== owner) throw badRequest('nextToken is not valid.');
      const { runs, cursor: next } = await deps.runs.list({
        ...(owner === undefined ? {} : { owner }),
        ...(query.status ? { status: query.status } : {}),
        ...(query.tool ? { tool: query.tool } : {}),
        limit: query.limit ?? 20,
        ...(cursor ? { cursor } : {}),
        now: new Date((deps.now ?? Date.now)()),
      });
      return {
        status: 200,
        body: {
          runs: runs.map((run) => ({
            runId: run.runId,
            status: run.status,
            userId: run.owner,
            startedAt: run.createdAt,
            updatedAt: run.updatedAt,
            iterations: run.iteration,
            // The request's start, to tell runs apart in a list (the whole input is in GET /runs/{id}'s owner view).
            input: run.input.slice(0, 120),
            calls: run.callCount ?? 0,
            tools: run.tools ?? [],
            usage: run.usage ?? null,
          })),
          ...(next ? { nextToken: Buffer.from(JSON.stringify(next)).toString('base64url') } : {}),
        },
      };
    },
  },

  {
    method: 'GET',
    pattern: /^\/runs\/([^/]+)$/,
    authenticated: true,
    handler: async (request, [runId], deps) => {
      const { run, calls, messages } = await ownRun(request, runId, deps);
      // Once a run has ended its answer is final: the count waits for the execution's last state.
      const transitions = await deps.stateTransitions?.(run.runId, TERMINAL_STATUSES.has(run.status));
      // Durations are measured by the tool's own pipeline and kept in the audit trail (the last attempt counts).
      const durations = new Map((await deps.audit.listByRun(run.runId)).filter(reachedTool).map((r) => [r.callId, r.durationMs]));
      return {
        status: 200,
        body: {
          runId: run.runId,
          status: run.status,
          output: run.output ?? null,
          iterations: run.iteration,
          // Model tokens as the provider reported them; null when it reported none (the demo and scripted models).
          usage: run.usage ?? null,
          // Information flow: the call that brought untrusted content in; from then on sinks wait for approval.
          untrusted: run.untrusted ?? null,
          // What the run may spend (null: no caps) and what it has spent (usd null without a price table).
          budget: run.budget ?? null,
          spent: spentOf(run, deps.prices),
          // Whose budget stopped it (BUDGET_EXHAUSTED): the run's, the user's or the tenant's, named, and why.
          stoppedBy: run.stoppedBy ?? null,
          calls: calls.map((c) => ({
            callId: c.callId,
            tool: c.tool,
            iteration: c.iteration,
            status: c.status,
            code: c.code ?? null,
            durationMs: durations.get(c.callId) ?? null,
            // As the model sent them, from the stored turns: nothing cut, only secrets masked (the approver's view of them).
            arguments: argumentsShown(sentArguments(messages, c.modelCallId)),
          })),
          // What the model said and asked for on each turn (its text cut short; each call's arguments are with the call).
          turns: messages.flatMap((m) =>
            m.role === 'assistant'
              ? [{ text: (m.text ?? '').slice(0, 500), toolCalls: m.toolCalls.map((c) => String(c.name).slice(0, 64)) }]
              : [],
          ),
          ...(transitions === undefined ? {} : { stateTransitions: transitions }),
        },
      };
    },
  },

  {
    method: 'GET',
    pattern: /^\/runs\/([^/]+)\/audit$/,
    authenticated: true,
    handler: async (request, [runId], deps) => {
      const { run } = await ownRun(request, runId, deps);
      return { status: 200, body: { runId: run.runId, records: await deps.audit.listByRun(run.runId) } };
    },
  },

  {
    method: 'GET',
    pattern: /^\/runs\/([^/]+)\/audit\/verify$/,
    authenticated: true,
    handler: async (request, [runId], deps) => {
      const { run } = await ownRun(request, runId, deps);
      const ended = TERMINAL_STATUSES.has(run.status);
      const chain = await deps.audit.readChain(run.runId);
      // A run that ended was sealed after its last record: anything outside its chain is a break.
      const verdict = verifyChain(chain, { ended });
      // Its archived copy, where the deployment keeps one, catches a table rewritten consistently, seals and all.
      const archived = ended ? await deps.auditArchive?.get(run.runId) : undefined;
      // Its anchors, whatever its status: a tail cut, a run reopened or extended after its end, a seal rewritten while it waited.
      const anchors = (await deps.auditArchive?.anchors(run.runId)) ?? [];
      const mismatches = [...(archived ? compareWithArchive(chain, archived) : []), ...compareWithAnchors(chain, anchors, { ended })];
      const anchor = latestAnchor(anchors);
      return {
        status: 200,
        body: {
          runId: run.runId,
          status: run.status,
          ...verdict,
          intact: verdict.intact && mismatches.length === 0,
          breaks: [...verdict.breaks, ...mismatches],
          ...(deps.auditArchive
            ? {
                archived: archived ? { at: archived.archivedAt, head: archived.head } : null,
                // The anchor the verdict rests on: the last seal copied out of the writers' reach.
                anchored: anchor ? { seq: anchor.seq, at: anchor.anchoredAt, head: anchor.head, ended: anchor.ended === true } : null,
              }
            : {}),
        },
      };
    },
  },

  {
    method: 'GET',
    pattern: /^\/runs\/([^/]+)\/trace$/,
    authenticated: true,
    handler: async (request, [runId], deps) => {
      const { run } = await ownRun(request, runId, deps);
      // Deployed, spans go to X-Ray or a collector (`kept` false): the trace id finds the run there.
      const spans = deps.traces?.(run.runId) ?? [];
      return { status: 200, body: { runId: run.runId, traceId: runTraceIds(run.runId).traceId, kept: deps.traces !== undefined, spans } };
    },
  },

  {
    method: 'GET',
    pattern: /^\/runs\/([^/]+)\/path$/,
    authenticated: true,
    handler: async (request, [runId], deps) => {
      const { run } = await ownRun(request, runId, deps);
      // Deployed, the Step Functions console draws an execution's path; locally the system does.
      if (!deps.loopPath) throw notFound("This deployment does not keep runs' paths: see the execution in the Step Functions console.");
      return { status: 200, body: { runId: run.runId, ...(await deps.loopPath(run.runId, TERMINAL_STATUSES.has(run.status))) } };
    },
  },
];
