import { cancelCalendarEventTool } from '../../../office/office-tools.ts';
import { WRITTEN_BY_USER } from '../../policy.ts';

export const cancelCalendarEvent = cancelCalendarEventTool({ event: WRITTEN_BY_USER });
