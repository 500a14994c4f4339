// The approvals panel: the local stand-in for Slack. An approver sees every pending approval; anyone
// else those handed to them.
import { api } from './api.js';
import { $, currentUser, state } from './page.js';

const line = (className, text) => {
  const div = document.createElement('div');
  div.className = className;
  div.textContent = text;
  return div;
};

/** One pending approval with what an approver needs to judge it, a reason, and the two decisions. */
const approvalItem = (approval) => {
  const li = document.createElement('li');
  li.dataset.approvalId = approval.approvalId;
  approvalFacts(li, approval);
  const full = approvalFullView(li, approval);
  const left = line('muted approval-left', '');
  left.dataset.expiresAt = String(approval.expiresAt);
  li.append(left);
  // Edit, then approve (single-approver calls): the arguments to run with instead, as JSON; the tool's schema checks them.
  const edit = document.createElement('textarea');
  edit.className = 'approval-edit';
  edit.rows = 2;
  edit.placeholder = 'Edit arguments (JSON), then approve';
  edit.hidden = (approval.quorum ?? 1) > 1;
  li.append(edit);
  const reason = document.createElement('input');
  reason.placeholder = 'Reason (audited)';
  reason.className = 'approval-reason';
  li.append(reason);
  const outcome = line('error', '');
  approvalDecisions(li, approval, { full, edit, reason, outcome });
  approvalHandOver(li, approval, { reason, outcome });
  return li;
};

/** What the call is, who asked, why it waits, its risk, and what led to it. */
const approvalFacts = (li, approval) => {
  const { context } = approval;
  li.append(line('approval-call', `${approval.tool} for ${approval.requestedBy}${context?.via === 'mcp' ? ' (over MCP)' : ''}`));
  // Information flow: why a call that is not destructive waits (where untrusted content came in).
  if (approval.why) li.append(line('approval-why', approval.why));
  if (approval.quorum)
    li.append(
      line(
        'muted',
        `Approved by ${approval.approvedBy.length} of the ${approval.quorum} needed${approval.approvedBy.length ? ` (${approval.approvedBy.join(', ')})` : ''}`,
      ),
    );
  if (approval.risk) li.append(line('muted', `Risk: ${approval.risk}; ${approval.reversible ? 'can be undone' : 'cannot be undone'}`));
  if (context?.request) li.append(line('muted', `Asked: ${context.request}`));
  if (context?.modelSaid) li.append(line('muted', `The model said: ${context.modelSaid}`));
  if (context?.earlierCalls?.length)
    li.append(
      line('muted', `Before: ${context.earlierCalls.map((c) => `${c.tool} ${c.status}${c.code ? ` (${c.code})` : ''}`).join(', ')}`),
    );
};

/** The arguments, short at first; then the full view, with where the call sends and any masked secret. Resolves once shown. */
const approvalFullView = (li, approval) => {
  // The full view (GET /approvals/{id}): every argument as it will run, nothing cut, scrollable. Opening it is
  // what lets a yes count on a call whose short form leaves something out; approve waits until it is shown.
  const args = document.createElement('pre');
  args.className = 'approval-args';
  args.textContent = `Arguments (short form): ${approval.arguments}`;
  li.append(args);
  const destinations = document.createElement('ul');
  destinations.className = 'approval-destinations';
  li.append(destinations);
  return api('GET', `/approvals/${encodeURIComponent(approval.approvalId)}`)
    .then((view) => {
      args.textContent = JSON.stringify(view.arguments, null, 2);
      for (const d of view.destinations ?? [])
        destinations.append(line('approval-destination', `Sends to ${d.kind} ${d.value} (${d.host}) in ${d.argument}`));
      for (const secret of view.secrets ?? [])
        destinations.append(
          line('approval-secret', `A masked ${secret.kind} is in ${secret.argument}: a secret leaving in a call is a reason to deny.`),
        );
      return true;
    })
    .catch(() => false);
};

/** Approve (with edited arguments, if any) or deny, with the reason. */
const approvalDecisions = (li, approval, { full, edit, reason, outcome }) => {
  for (const decision of ['approve', 'deny']) {
    const button = document.createElement('button');
    button.textContent = decision === 'approve' ? 'Approve' : 'Deny';
    button.dataset.decision = decision;
    button.addEventListener('click', async () => {
      button.disabled = true;
      // Never blind: a yes goes out once the full view is on screen.
      if (decision === 'approve') await full;
      try {
        const edited = decision === 'approve' && edit.value.trim() ? JSON.parse(edit.value) : undefined;
        await api('POST', `/approvals/${encodeURIComponent(approval.approvalId)}`, {
          decision,
          ...(reason.value.trim() ? { reason: reason.value.trim() } : {}),
          ...(edited === undefined ? {} : { arguments: edited }),
        });
      } catch (error) {
        outcome.textContent = error.message;
        button.disabled = false;
        return;
      }
      await refreshApprovals();
    });
    li.append(button);
  }
};

/** Hand the approval to a named colleague, who may then decide it. */
const approvalHandOver = (li, approval, { reason, outcome }) => {
  const handTo = document.createElement('input');
  handTo.placeholder = 'Hand to (user id)';
  handTo.className = 'approval-hand-to';
  const hand = document.createElement('button');
  hand.textContent = 'Hand over';
  hand.dataset.decision = 'delegate';
  hand.addEventListener('click', async () => {
    hand.disabled = true;
    try {
      await api('POST', `/approvals/${encodeURIComponent(approval.approvalId)}/delegate`, {
        to: handTo.value.trim(),
        ...(reason.value.trim() ? { reason: reason.value.trim() } : {}),
      });
      outcome.textContent = `Handed to ${handTo.value.trim()}.`;
    } catch (error) {
      outcome.textContent = error.message;
    }
    hand.disabled = false;
  });
  if (approval.delegatedTo) li.append(line('muted', `Handed to ${approval.delegatedTo} by ${approval.delegatedBy}`));
  li.append(handTo, hand, outcome);
};

// Refreshed often: items already shown are kept (a reason being typed survives), new ones added, decided ones removed.
export const refreshApprovals = async () => {
  const list = $('#approvals');
  const token = state.token;
  // Approvers see every pending approval; anyone else those handed to them (or escalated to their group).
  const { approvals } = await api('GET', '/approvals?status=pending', undefined, token).catch(() => ({ approvals: [] }));
  // An answer for the identity acted as before a switch is dropped; items are kept only for the identity they were built for.
  if (token !== state.token) return;
  if (list.dataset.token !== token) list.replaceChildren();
  list.dataset.token = token;
  $('#approvals-note').hidden = approvals.length > 0 || Boolean(currentUser()?.groups.includes('approver'));
  const shown = new Map([...list.children].map((li) => [li.dataset.approvalId, li]));
  list.replaceChildren(...approvals.map((approval) => shown.get(approval.approvalId) ?? approvalItem(approval)));
  for (const left of list.querySelectorAll('.approval-left')) {
    const seconds = Math.max(0, Math.round(Number(left.dataset.expiresAt) - Date.now() / 1000));
    left.textContent = `${Math.floor(seconds / 60)} min ${seconds % 60} s left to decide`;
  }
};
