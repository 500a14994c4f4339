/** Where documents live: an S3 bucket (locally, the embedded S3). Paths are already validated relative paths. */
export interface DocumentStore {
  /** The document's text, or undefined when there is none. Reads at most `maxBytes`. */
  read(path: string, maxBytes: number): Promise<{ text: string; bytes: number; truncated: boolean } | undefined>;
  /** Whether a document was deleted (false: there was none). */
  delete(path: string): Promise<boolean>;
}
