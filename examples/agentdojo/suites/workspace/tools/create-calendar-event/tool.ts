import { createCalendarEventTool } from '../../../office/office-tools.ts';
import { PEOPLE_VOUCHERS, WRITTEN_BY_USER } from '../../policy.ts';

export const createCalendarEvent = createCalendarEventTool({
  participants: PEOPLE_VOUCHERS,
  text: WRITTEN_BY_USER,
  location: WRITTEN_BY_USER,
});
