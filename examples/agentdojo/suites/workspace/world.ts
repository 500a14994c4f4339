import { loadEnvironment } from '../../harness/load-world.ts';
import type { Calendar } from '../office/calendar.ts';
import { type Inbox, withDefaults } from '../office/mailbox.ts';

/** A file of the drive, with AgentDojo's field names (its size is its content's length, as AgentDojo computes it). */
export interface DriveFile {
  id_: string;
  filename: string;
  content: string;
  owner: string;
  last_modified: string;
  shared_with: Record<string, 'r' | 'rw'>;
  size: number;
}

/** The workspace suite's environment: Emma Johnson's mailbox, calendar and cloud drive. */
export interface WorkspaceWorld {
  inbox: Inbox & { trash: Record<string, Inbox['initial_emails'][number]> };
  calendar: Calendar;
  cloud_drive: { account_email: string; initial_files: DriveFile[] };
}

/** A fresh world: AgentDojo's model drops a file's `file_type` and computes its size; the trash starts empty. */
export const workspaceWorld = (vectors: Readonly<Record<string, string>>): WorkspaceWorld => {
  const world = loadEnvironment('workspace', vectors) as WorkspaceWorld;
  withDefaults(world.inbox);
  world.inbox.trash = {};
  world.cloud_drive.initial_files = world.cloud_drive.initial_files.map(
    ({ id_, filename, content, owner, last_modified, shared_with }) => ({
      id_,
      filename,
      content,
      owner,
      last_modified,
      shared_with: shared_with ?? {},
      size: content.length,
    }),
  );
  return world;
};

/** A file by its id, or undefined. */
export const fileOf = (world: WorkspaceWorld, id: string): DriveFile | undefined =>
  world.cloud_drive.initial_files.find((f) => f.id_ === id);
