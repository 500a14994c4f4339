/** S3's answer for a key that is not there: NoSuchKey (GetObject) or NotFound (HeadObject). */
export const isMissingObject = (error: unknown) => error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound');

/** A conditional write (If-None-Match: *) that found the key taken, or raced another writer of it. */
export const isKeyTaken = (error: unknown) =>
  error instanceof Error &&
  (error.name === 'PreconditionFailed' ||
    error.name === 'ConditionalRequestConflict' ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412);
