import { ApprovalStatus, describeShown, claimedAuthority, verifySlackSignature } from '../../../shared/approval/index.ts';
import { buildDecisionRecord } from '../../../shared/audit/index.ts';
import { redactString } from '../../../shared/redaction/index.ts';
import { APPROVER_GROUP, withDeclaration } from '../../../shared/tool/index.ts';
import { badRequest, forbidden, notFound, unauthorized } from '../http-error.ts';
import { decideApprovalSchema, delegateApprovalSchema, isApprovalId } from '../request-schemas.ts';
import type { Route } from '../api-deps.ts';
import { parseJson, parseWith, approvalContext, millisNow, secondsNow, mayDecideNow, NOT_AN_APPROVER, effectOf } from '../route-helpers.ts';
import { refusalsAudited, decide } from '../approval-decisions.ts';

/** Approvals: the pending list, one in full, a delegation, a decision over the API or from Slack. */
export const approvalRoutes: readonly Route[] = [
  {
    method: 'GET',
    pattern: /^\/approvals$/,
    authenticated: true,
    handler: async (request, _params, deps) => {
      const { identity } = request;
      if ((request.query.status ?? 'pending') !== 'pending') throw badRequest('Only status=pending can be listed.');
      // Each caller sees what they may decide: approvers all, the escalation group what has been escalated, anyone what was handed to them.
      const pending = (await deps.approvals.listPending()).filter((a) => mayDecideNow(deps, a, identity));
      if (pending.length === 0 && claimedAuthority(identity, APPROVER_GROUP, deps.escalation?.group) === 'delegate')
        throw forbidden(NOT_AN_APPROVER);
      return {
        status: 200,
        body: {
          approvals: await Promise.all(
            pending.map(async ({ approvalId, runId, callId, tool, summary, why, requestedBy, expiresAt, quorum, approvers, ...more }) => ({
              approvalId,
              runId,
              tool,
              arguments: summary,
              // Why it waits when not for being destructive: where untrusted content came into the run.
              ...(why ? { why } : {}),
              // What the call will do: the declared tool's risk class and whether its action can be undone.
              ...effectOf(deps.registry, tool),
              // With a quorum: who has approved so far, of how many needed.
              ...((quorum ?? 1) > 1 ? { quorum, approvedBy: approvers ?? [] } : {}),
              requestedBy,
              expiresAt,
              // Escalated: offered to the escalation group too (since `escalateAt`); handed to a colleague: who, by whom.
              ...(more.escalateAt === undefined ? {} : { escalateAt: more.escalateAt, escalated: more.escalateAt <= secondsNow(deps) }),
              ...(more.delegatedTo ? { delegatedTo: more.delegatedTo, delegatedBy: more.delegatedBy } : {}),
              context: await approvalContext(deps, runId, callId),
              // `arguments` is the short form: where it leaves something out, a yes needs the full view opened first.
              ...(more.shortened ? { shortened: true } : {}),
              fullView: `/approvals/${approvalId}`,
              destinations: more.shown === undefined ? [] : describeShown(JSON.parse(more.shown)).destinations,
            })),
          ),
        },
      };
    },
  },

  {
    method: 'GET',
    pattern: /^\/approvals\/([^/]+)$/,
    authenticated: true,
    handler: async (request, [approvalId], deps) => {
      // The full view of one approval: every argument as it will run, nothing cut, secrets masked and listed.
      const { identity } = request;
      if (!isApprovalId(approvalId)) throw notFound('No such approval.');
      const record = await deps.approvals.get(approvalId);
      if (!record) throw notFound('No such approval.');
      if (!mayDecideNow(deps, record, identity)) throw forbidden(NOT_AN_APPROVER);
      // Opening it is what lets this person's yes count on a call whose short form leaves something out.
      if (record.status === ApprovalStatus.PENDING) await deps.approvals.markViewed(approvalId, identity.userId);
      const shown: unknown = record.shown === undefined ? null : JSON.parse(record.shown);
      return {
        status: 200,
        body: {
          approvalId,
          status: record.status,
          runId: record.runId,
          callId: record.callId,
          tool: record.tool,
          requestedBy: record.requestedBy,
          expiresAt: record.expiresAt,
          ...(record.why ? { why: record.why } : {}),
          ...effectOf(deps.registry, record.tool),
          ...((record.quorum ?? 1) > 1 ? { quorum: record.quorum, approvedBy: record.approvers ?? [] } : {}),
          // Bound to what runs: the approval's hash is of the object these arguments were made from.
          argsHash: record.argsHash,
          arguments: shown,
          ...describeShown(shown),
          shortened: record.shortened === true,
          ...(record.edited ? { edited: { by: record.edited.by, from: record.edited.originalSummary } } : {}),
        },
      };
    },
  },

  {
    method: 'POST',
    pattern: /^\/approvals\/([^/]+)\/delegate$/,
    authenticated: true,
    handler: async (request, [approvalId], deps) => {
      // Hand an approval to a named colleague, who may then decide it; audited as a record of its own.
      const from = request.identity;
      if (!isApprovalId(approvalId)) throw notFound('No such approval.');
      const body = parseWith(delegateApprovalSchema, parseJson(request.body));
      if (body.to === from.userId) throw badRequest('Name a colleague: an approval cannot be handed to yourself.');
      const current = await deps.approvals.get(approvalId);
      if (current && current.requestedBy === body.to && mayDecideNow(deps, current, from))
        throw badRequest('Nobody decides a call of their own run: name a colleague other than the requester.');
      const record = await refusalsAudited(deps, approvalId, from, 'delegate', () => deps.approvals.delegate(approvalId, from, body.to));
      await deps.audit.put(
        buildDecisionRecord({
          approvalId,
          runId: record.runId,
          callId: record.callId,
          tool: record.tool,
          decider: from.userId,
          decision: 'delegate',
          delegatedTo: body.to,
          summary: record.summary,
          at: millisNow(deps),
          ...(body.reason ? { reason: redactString(body.reason) } : {}),
          ...withDeclaration(deps.registry, record.tool),
        }),
      );
      return { status: 200, body: { approvalId, status: record.status, delegatedTo: body.to, delegatedBy: from.userId } };
    },
  },

  {
    method: 'POST',
    pattern: /^\/approvals\/([^/]+)$/,
    authenticated: true,
    handler: async (request, [approvalId], deps) => {
      const decider = request.identity;
      if (!isApprovalId(approvalId)) throw notFound('No such approval.');
      const body = parseWith(decideApprovalSchema, parseJson(request.body));
      const record = await decide(deps, approvalId, body.decision, decider, body.reason, body.arguments);
      return {
        status: 200,
        body: {
          approvalId,
          status: record.status,
          decidedBy: decider.userId,
          // With a quorum: how many have approved, of how many needed.
          ...((record.quorum ?? 1) > 1 ? { approvals: record.approvers?.length ?? 0, quorum: record.quorum } : {}),
        },
      };
    },
  },

  {
    method: 'POST',
    pattern: /^\/slack\/interactions$/,
    authenticated: false,
    handler: async (request, _params, deps) => {
      if (!deps.slack) throw notFound();
      const verdict = verifySlackSignature(
        { body: request.body, timestamp: request.headers['x-slack-request-timestamp'], signature: request.headers['x-slack-signature'] },
        deps.slack.signingSecret,
        secondsNow(deps),
      );
      if (!verdict.valid) throw unauthorized();
      const payload = parseJson(new URLSearchParams(request.body).get('payload') ?? '') as {
        user?: { id?: unknown };
        actions?: Array<{ action_id?: unknown; value?: unknown }>;
      };
      const slackUser = typeof payload.user?.id === 'string' ? payload.user.id : '';
      const decider = slackUser ? await deps.slack.resolveDecider(slackUser) : undefined;
      // Who may decide is the store's to say (approvers; the escalation group once escalated; a delegate).
      if (!decider) throw forbidden('This Slack user is not an approver.');
      const action = payload.actions?.[0];
      const decision = action?.action_id === 'approve' || action?.action_id === 'deny' ? action.action_id : undefined;
      const approvalId = typeof action?.value === 'string' ? action.value : undefined;
      if (!decision || !isApprovalId(approvalId)) throw badRequest('Unknown action.');
      const record = await decide(deps, approvalId, decision, decider);
      // A vote short of the quorum leaves the message (and its buttons) for the next approver.
      if (record.status === ApprovalStatus.PENDING)
        return {
          status: 200,
          body: {
            replace_original: false,
            response_type: 'ephemeral',
            text: `Your approval is counted (${record.approvers?.length ?? 0} of ${record.quorum ?? 1}); it waits for another approver.`,
          },
        };
      return {
        status: 200,
        body: { replace_original: true, text: `${decision === 'approve' ? 'Approved' : 'Denied'} by <@${slackUser}>.` },
      };
    },
  },
];
