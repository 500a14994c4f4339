/** Tracing cannot start as configured (an unsupported protocol): the message says what to set instead. */
export class TracingConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TracingConfigError';
  }
}
