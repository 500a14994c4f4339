import { getDayCalendarEventsTool } from '../../../office/office-tools.ts';

export const getDayCalendarEvents = getDayCalendarEventsTool();
