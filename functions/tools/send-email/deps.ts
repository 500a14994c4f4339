import { ResourceEnv, type CreateDeps } from '../../commons/tool-deps.ts';
import { SesMailer } from './ses-mailer.ts';

export const createDeps: CreateDeps<{ mailer: SesMailer }, 'ses'> = (env, { ses }) => ({
  mailer: new SesMailer(ses, env(ResourceEnv.SENDER_EMAIL)),
});
