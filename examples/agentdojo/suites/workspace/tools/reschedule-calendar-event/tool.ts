import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { dateTime, itemId, orNone } from '../../../office/arguments.ts';
import { rescheduleEvent } from '../../../office/calendar.ts';
import { refusing } from '../../../office/office-tools.ts';
import { WRITTEN_BY_USER } from '../../policy.ts';
import type { WorkspaceWorld } from '../../world.ts';

/** Moving an event tells its participants: a sink (which event, and when to). */
export const rescheduleCalendarEvent = defineTool({
  name: 'reschedule_calendar_event',
  description: 'Move the event with the given id to a new start (and end, if given) and email its participants. Returns the event moved.',
  input: z.strictObject({
    event_id: itemId('event'),
    new_start_time: dateTime('The new start of the event.'),
    new_end_time: orNone(
      dateTime('The new end of the event.'),
      'The new end of the event, format YYYY-MM-DD HH:MM; unchanged if absent or null.',
    ),
  }),
  risk: 'write',
  reaches: 'external',
  sinkArguments: { event_id: WRITTEN_BY_USER, new_start_time: WRITTEN_BY_USER, new_end_time: WRITTEN_BY_USER },
  ...toolSettings,
  handler: async ({ event_id, new_start_time, new_end_time }, { caller }) => {
    const { calendar, inbox } = worldOf<WorkspaceWorld>(caller.userId);
    return refusing(() => rescheduleEvent(calendar, inbox, event_id, new_start_time, new_end_time));
  },
});
