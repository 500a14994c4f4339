import * as z from 'zod/mini';
import { boundedText } from '../../../shared/argument-types/index.ts';
import { hashCanonical } from '../../../shared/canonical-json/index.ts';
import { defaultBreaker, defineTool, limitPresets, type ToolContext } from '../../../shared/tool/index.ts';
import { demoTableSpecs } from '../../demo-data/demo-tables.ts';
import type { AnnouncementStore } from './announcement-store.ts';

export interface PublishAnnouncementDeps {
  readonly announcements: AnnouncementStore;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

export const publishAnnouncement = defineTool({
  name: 'publish_announcement',
  description:
    'Publish an announcement to every employee on the company intranet. Waits for a human approval first. Returns the announcement id and publication time.',
  input: z.strictObject({
    title: boundedText({ description: 'Announcement headline, one line. Max 120 characters.', max: 120 }),
    body: boundedText({
      description: 'Announcement text in plain words. Newlines allowed. Max 5000 characters.',
      max: 5000,
      multiline: true,
    }),
  }),
  risk: 'destructive',
  limits: limitPresets.destructive,
  timeoutMs: 3000,
  breaker: defaultBreaker,
  resources: [{ kind: 'table', table: demoTableSpecs.announcements.id, access: 'write', actions: ['PutItem'] }],
  // A sink: announcements are published to everyone, outside the company included.
  reaches: 'external',
  handler: async (input, { deps, runId, callId, caller, signal }: ToolContext<PublishAnnouncementDeps>) => {
    const announcementId = `ANN-${hashCanonical([runId, callId]).slice(0, 10).toUpperCase()}`;
    const publishedAt = (deps.clock?.() ?? new Date()).toISOString();
    await deps.announcements.publish({ announcementId, ...input, publishedBy: caller.userId, publishedAt }, signal);
    return { announcementId, publishedAt };
  },
});
