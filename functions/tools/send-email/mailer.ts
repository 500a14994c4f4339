export interface OutgoingEmail {
  readonly messageId: string;
  readonly to: string;
  readonly subject: string;
  readonly body: string;
  readonly requestedBy: string;
}

/** Where email goes: SES (locally, the embedded SES, where it stays). */
export interface Mailer {
  /** Returns the provider's message id. */
  send(email: OutgoingEmail, signal?: AbortSignal): Promise<string>;
}
