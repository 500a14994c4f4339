import * as z from 'zod/mini';
import { defaultBreaker, defineTool, limitPresets, type ToolContext } from '../../../shared/tool/index.ts';
import { ToolDeclinedError } from '../../../shared/tool-result/index.ts';
import { documentPath } from '../../commons/document-path.ts';
import type { DocumentStore } from '../../commons/document-store/document-store.ts';

export interface ReadDocumentDeps {
  readonly documents: DocumentStore;
}

/** Enough for a policy page; longer documents come back cut, and say so. */
export const MAX_DOCUMENT_BYTES = 32_768;

export const readDocument = defineTool({
  name: 'read_document',
  description:
    'Read one document from the document library by its relative path. Returns the text (first 32 KB), its size in bytes and whether it was cut.',
  input: z.strictObject({ path: documentPath() }),
  risk: 'read',
  limits: limitPresets.read,
  timeoutMs: 3000,
  breaker: defaultBreaker,
  resources: [{ kind: 'documents', access: 'read' }],
  // Documents come from outside too (supplier invoices, inbound mail): their text is untrusted.
  output: 'untrusted',
  handler: async ({ path }, { deps }: ToolContext<ReadDocumentDeps>) => {
    const document = await deps.documents.read(path, MAX_DOCUMENT_BYTES);
    if (!document)
      throw new ToolDeclinedError(`No document at ${path}.`, { suggestion: 'Search the knowledge base for the right path first.' });
    return { path, text: document.text, bytes: document.bytes, truncated: document.truncated };
  },
});
