import type { DocumentStore } from '#functions/commons/document-store/document-store.ts';
import type { Mailer } from '#functions/tools/send-email/mailer.ts';
import { LOCAL_ACCOUNT } from './function-policies.ts';
import type { LocalIam } from './local-iam.ts';

/**
 * The tools' S3 and SES dependencies, checked against the tool's role as the calls of the deployed
 * stores (S3DocumentStore, SesMailer) would be: a read is GetObject on `documents/<path>` of the
 * bucket, a delete HeadObject (s3:GetObject) then DeleteObject, an email SendEmail on the sender
 * identity. Until those stores run locally against embedded S3 and SES, this keeps their grants honest. DynamoDB calls are checked
 * by the tool's client itself.
 */
export const authorizedToolDeps = <Deps extends Record<string, unknown>>(iam: LocalIam, functionName: string, deps: Deps, names: { readonly sender: string; readonly bucket: string }): Deps => {
  const object = (path: string) => `arn:aws:s3:::${names.bucket}/documents/${path}`;
  const wrap = (value: unknown): unknown => {
    if (!value || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>).map(([key, dep]) => {
      if (key === 'documents') {
        const store = dep as DocumentStore;
        const checked: DocumentStore = {
          read: async (path, maxBytes) => (iam.check(functionName, 's3:GetObject', object(path)), store.read(path, maxBytes)),
          // As the S3 store does it: HeadObject (authorized by s3:GetObject), then DeleteObject.
          delete: async (path) => (iam.check(functionName, 's3:GetObject', object(path)), iam.check(functionName, 's3:DeleteObject', object(path)), store.delete(path)),
        };
        return [key, checked];
      }
      if (key === 'mailer') {
        const mailer = dep as Mailer;
        const identity = `arn:aws:ses:${LOCAL_ACCOUNT.region}:${LOCAL_ACCOUNT.account}:identity/${names.sender}`;
        const checked: Mailer = { send: async (email, signal) => (iam.check(functionName, 'ses:SendEmail', identity), mailer.send(email, signal)) };
        return [key, checked];
      }
      return [key, dep];
    });
    return Object.fromEntries(entries);
  };
  return Object.fromEntries(Object.entries(deps).map(([tool, toolDeps]) => [tool, wrap(toolDeps)])) as Deps;
};
