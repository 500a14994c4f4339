import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mailer, OutgoingEmail } from './mailer.ts';

/** Deployed: Amazon SES v2 from a verified sender. */
export class SesMailer implements Mailer {
  readonly #client: SESv2Client;
  readonly #from: string;

  constructor(client: SESv2Client, from: string) {
    this.#client = client;
    this.#from = from;
  }

  async send(email: OutgoingEmail, signal?: AbortSignal): Promise<string> {
    const out = await this.#client.send(
      new SendEmailCommand({
        FromEmailAddress: this.#from,
        Destination: { ToAddresses: [email.to] },
        Content: { Simple: { Subject: { Data: email.subject, Charset: 'UTF-8' }, Body: { Text: { Data: email.body, Charset: 'UTF-8' } } } },
        EmailTags: [{ Name: 'requestedBy', Value: email.requestedBy.replaceAll(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) }],
      }),
      { abortSignal: signal },
    );
    return out.MessageId ?? email.messageId;
  }
}
