import * as z from 'zod/mini';
import { boundedText, emailAddress } from '../../../shared/argument-types/index.ts';
import { hashCanonical } from '../../../shared/canonical-json/index.ts';
import { defaultBreaker, defineTool, limitPresets, type ToolContext } from '../../../shared/tool/index.ts';
import type { Mailer } from './mailer.ts';

export interface SendEmailDeps {
  readonly mailer: Mailer;
}

export const sendEmail = defineTool({
  name: 'send_email',
  description: 'Send a plain-text email to one recipient on behalf of the user. Waits for a human approval first. Returns the message id.',
  input: z.strictObject({
    to: emailAddress({ description: 'Recipient email address, one plain address such as jane@example.com. Max 254 characters.' }),
    subject: boundedText({ description: 'Email subject line, one line. Max 200 characters.', max: 200 }),
    body: boundedText({
      description: 'Plain-text email body. Newlines allowed, no HTML. Max 10000 characters.',
      max: 10_000,
      multiline: true,
    }),
  }),
  risk: 'destructive',
  limits: limitPresets.destructive,
  timeoutMs: 5000,
  breaker: defaultBreaker,
  resources: [{ kind: 'email' }],
  // A sink: the recipient, subject and body leave the company.
  reaches: 'external',
  handler: async (input, { deps, runId, callId, caller, signal }: ToolContext<SendEmailDeps>) => {
    const messageId = `MSG-${hashCanonical([runId, callId]).slice(0, 16)}`;
    return { messageId: await deps.mailer.send({ messageId, ...input, requestedBy: caller.userId }, signal) };
  },
});
