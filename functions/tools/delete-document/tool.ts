import * as z from 'zod/mini';
import { defaultBreaker, defineTool, limitPresets, type ToolContext } from '../../../shared/tool/index.ts';
import { ToolDeclinedError } from '../../../shared/tool-result/index.ts';
import { documentPath } from '../../commons/document-path.ts';
import type { DocumentStore } from '../../commons/document-store/document-store.ts';

export interface DeleteDocumentDeps {
  readonly documents: DocumentStore;
}

export const deleteDocument = defineTool({
  name: 'delete_document',
  description: 'Delete one document from the document library by its relative path. Cannot be undone. Returns the deleted path.',
  input: z.strictObject({ path: documentPath() }),
  risk: 'destructive',
  limits: limitPresets.destructive,
  timeoutMs: 3000,
  breaker: defaultBreaker,
  resources: [{ kind: 'documents', access: 'delete' }],
  // The documents bucket is versioned: a deleted document can be restored from its previous version.
  reversible: true,
  handler: async ({ path }, { deps }: ToolContext<DeleteDocumentDeps>) => {
    if (!(await deps.documents.delete(path)))
      throw new ToolDeclinedError(`No document at ${path}.`, { suggestion: 'Check the path with read_document first.' });
    return { deleted: path };
  },
});
