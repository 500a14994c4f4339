/** Base of the model providers' errors. `retryable` tells the loop whether to try the turn again. */
export class ModelError extends Error {
  readonly retryable: boolean;
  constructor(message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ModelError';
    this.retryable = options.retryable ?? false;
  }
}

/** The provider is throttling us: retry later with backoff. */
export class ModelThrottledError extends ModelError {
  constructor(options: { cause?: unknown } = {}) {
    super('The model provider is throttling requests.', { retryable: true, ...options });
    this.name = 'ModelThrottledError';
  }
}

/** The provider refused or failed the request (bad request, auth, server error). */
export class ModelProviderError extends ModelError {
  readonly status: number | undefined;
  constructor(message: string, status: number | undefined, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, options);
    this.name = 'ModelProviderError';
    this.status = status;
  }
}

/** The provider answered something that is not a model turn. */
export class ModelResponseInvalidError extends ModelError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'ModelResponseInvalidError';
  }
}

/** A scripted run asked for a turn its script does not have. */
export class ScriptExhaustedError extends ModelError {
  constructor(turn: number) {
    super(`The scripted model has no turn ${turn + 1}.`);
    this.name = 'ScriptExhaustedError';
  }
}
