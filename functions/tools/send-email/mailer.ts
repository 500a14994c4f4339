export interface OutgoingEmail {
  readonly messageId: string;
  readonly to: string;
  readonly subject: string;
  readonly body: string;
  readonly requestedBy: string;
}

/** Where email goes: SES deployed, an outbox table locally. */
export interface Mailer {
  /** Returns the provider's message id. */
  send(email: OutgoingEmail, signal?: AbortSignal): Promise<string>;
}
