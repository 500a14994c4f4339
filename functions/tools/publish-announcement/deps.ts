import type { CreateDeps } from '../../commons/tool-deps.ts';
import { demoTableSpecs } from '../../demo-data/demo-tables.ts';
import { AnnouncementStore } from './announcement-store.ts';

export const createDeps: CreateDeps<{ announcements: AnnouncementStore }, 'dynamoDb'> = (env, { dynamoDb }) => ({
  announcements: new AnnouncementStore(dynamoDb, env(demoTableSpecs.announcements.envVar)),
});
