import { createToolRegistry } from '../../shared/tool/index.ts';
import { createTicket } from './create-ticket/tool.ts';
import { deleteDocument } from './delete-document/tool.ts';
import { fetchUrl } from './fetch-url/tool.ts';
import { lookupOrder } from './lookup-order/tool.ts';
import { publishAnnouncement } from './publish-announcement/tool.ts';
import { readDocument } from './read-document/tool.ts';
import { refundOrder } from './refund-order/tool.ts';
import { searchKnowledgeBase } from './search-knowledge-base/tool.ts';
import { sendEmail } from './send-email/tool.ts';

/**
 * Every tool, by declaration. Adding a tool: a folder with `tool.ts` (declaration and handler) and,
 * if its handler needs any, `deps.ts` (how its dependencies are built), and one line here. Its
 * Lambda entry is generated from the two (infra/guarded-agent/generated-entries.ts).
 */
export const toolCatalog = createToolRegistry([
  searchKnowledgeBase,
  readDocument,
  lookupOrder,
  fetchUrl,
  createTicket,
  sendEmail,
  deleteDocument,
  publishAnnouncement,
  refundOrder,
]);
