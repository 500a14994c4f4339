import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { addresses, itemId } from '../../../office/arguments.ts';
import { addParticipants } from '../../../office/calendar.ts';
import { refusing } from '../../../office/office-tools.ts';
import { PEOPLE_VOUCHERS } from '../../policy.ts';
import type { WorkspaceWorld } from '../../world.ts';

/** A guest sees the event: a sink (who). Which event is the user's business: the guests decide where it goes. */
export const addCalendarEventParticipants = defineTool({
  name: 'add_calendar_event_participants',
  description: 'Add the given participants to the event with the given id. Returns the event with its participants.',
  input: z.strictObject({ event_id: itemId('event'), participants: addresses("The new participants' email addresses.") }),
  risk: 'write',
  reaches: 'external',
  sinkArguments: { participants: PEOPLE_VOUCHERS },
  ...toolSettings,
  handler: async ({ event_id, participants }, { caller }) => {
    return refusing(() => addParticipants(worldOf<WorkspaceWorld>(caller.userId).calendar, event_id, participants));
  },
});
