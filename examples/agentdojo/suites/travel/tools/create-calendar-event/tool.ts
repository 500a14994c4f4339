import { createCalendarEventTool } from '../../../office/office-tools.ts';
import { PLACE_VOUCHERS, WRITTEN_BY_USER } from '../../policy.ts';

export const createCalendarEvent = createCalendarEventTool({
  participants: WRITTEN_BY_USER,
  text: WRITTEN_BY_USER,
  location: PLACE_VOUCHERS,
});
