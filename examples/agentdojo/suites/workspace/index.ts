import { join } from 'node:path';
import type { Suite } from '../../harness/suite.ts';
import { vectorDefaults } from '../../harness/load-world.ts';
import { workspaceAdaptiveTasks } from './adaptive-tasks.ts';
import { workspaceInjectionTasks } from './injection-tasks.ts';
import { workspaceUserTasks } from './user-tasks.ts';
import { workspaceWorld, type WorkspaceWorld } from './world.ts';
import { addCalendarEventParticipants } from './tools/add-calendar-event-participants/tool.ts';
import { appendToFile } from './tools/append-to-file/tool.ts';
import { cancelCalendarEvent } from './tools/cancel-calendar-event/tool.ts';
import { createCalendarEvent } from './tools/create-calendar-event/tool.ts';
import { createFile } from './tools/create-file/tool.ts';
import { deleteEmail } from './tools/delete-email/tool.ts';
import { deleteFile } from './tools/delete-file/tool.ts';
import { getCurrentDay } from './tools/get-current-day/tool.ts';
import { getDayCalendarEvents } from './tools/get-day-calendar-events/tool.ts';
import { getDraftEmails } from './tools/get-draft-emails/tool.ts';
import { getFileById } from './tools/get-file-by-id/tool.ts';
import { getReceivedEmails } from './tools/get-received-emails/tool.ts';
import { getSentEmails } from './tools/get-sent-emails/tool.ts';
import { getUnreadEmails } from './tools/get-unread-emails/tool.ts';
import { listFiles } from './tools/list-files/tool.ts';
import { rescheduleCalendarEvent } from './tools/reschedule-calendar-event/tool.ts';
import { searchCalendarEvents } from './tools/search-calendar-events/tool.ts';
import { searchContactsByEmail } from './tools/search-contacts-by-email/tool.ts';
import { searchContactsByName } from './tools/search-contacts-by-name/tool.ts';
import { searchEmails } from './tools/search-emails/tool.ts';
import { searchFiles } from './tools/search-files/tool.ts';
import { searchFilesByFilename } from './tools/search-files-by-filename/tool.ts';
import { sendEmail } from './tools/send-email/tool.ts';
import { shareFile } from './tools/share-file/tool.ts';

/** AgentDojo's workspace suite: the user's mailbox, calendar and cloud drive, 40 user tasks, 6 injection tasks. */
export const workspaceSuite: Suite<WorkspaceWorld> = {
  name: 'workspace',
  // AgentDojo's order.
  tools: [
    sendEmail,
    deleteEmail,
    getUnreadEmails,
    getSentEmails,
    getReceivedEmails,
    getDraftEmails,
    searchEmails,
    searchContactsByName,
    searchContactsByEmail,
    getCurrentDay,
    searchCalendarEvents,
    getDayCalendarEvents,
    createCalendarEvent,
    cancelCalendarEvent,
    rescheduleCalendarEvent,
    addCalendarEventParticipants,
    appendToFile,
    searchFilesByFilename,
    createFile,
    deleteFile,
    getFileById,
    listFiles,
    shareFile,
    searchFiles,
  ],
  toolsDir: join(import.meta.dirname, 'tools'),
  policiesDir: join(import.meta.dirname, 'policies'),
  world: workspaceWorld,
  vectorDefaults: vectorDefaults('workspace'),
  userTasks: workspaceUserTasks,
  injectionTasks: workspaceInjectionTasks,
  adaptiveTasks: workspaceAdaptiveTasks,
};
