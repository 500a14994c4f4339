import { searchCalendarEventsTool } from '../../../office/office-tools.ts';

export const searchCalendarEvents = searchCalendarEventsTool();
