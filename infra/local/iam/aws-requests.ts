import { LOCAL_ACCOUNT, localTableArn } from './function-policies.ts';
import { localSecretArn } from '../embedded-secrets.ts';

/** One thing IAM is asked for a request: an action on a resource. */
export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  /**
   * S3 reads of one object: the bucket's ARN. If the object is missing, S3 answers 404 only when
   * the caller may also s3:ListBucket on it, else 403 AccessDenied.
   */
  readonly ifMissing?: string;
  /** The request's condition keys, as AWS sets them (a listing's `s3:prefix`). */
  readonly context?: Readonly<Record<string, string>>;
}

/** What IAM is asked for one command of a service's SDK client. */
export type RequestsOf = (commandName: string, input: Record<string, unknown>) => IamRequest[];

const operationOf = (commandName: string) => commandName.replace(/Command$/, '');

/** What one DynamoDB command asks IAM for: an action on a resource, one pair per table item touched. */
export const dynamoDbRequests: RequestsOf = (commandName, input) => {
  const operation = operationOf(commandName);
  const onTable = (table: unknown, action: string, index?: unknown) => ({
    action: `dynamodb:${action}`,
    resource: `${localTableArn(String(table))}${typeof index === 'string' ? `/index/${index}` : ''}`,
  });
  switch (operation) {
    case 'TransactWriteItems': {
      // A transaction needs each underlying action on each table it writes (there is no TransactWriteItems action).
      const kinds: Record<string, string> = {
        Put: 'PutItem',
        Update: 'UpdateItem',
        Delete: 'DeleteItem',
        ConditionCheck: 'ConditionCheckItem',
      };
      return ((input.TransactItems ?? []) as Array<Record<string, { TableName?: string }>>).flatMap((item) =>
        Object.entries(item).flatMap(([kind, body]) => (kinds[kind] ? [onTable(body?.TableName, kinds[kind])] : [])),
      );
    }
    case 'TransactGetItems':
      return ((input.TransactItems ?? []) as Array<{ Get?: { TableName?: string } }>).map((item) =>
        onTable(item.Get?.TableName, 'GetItem'),
      );
    case 'BatchGetItem':
      return Object.keys((input.RequestItems ?? {}) as object).map((table) => onTable(table, 'BatchGetItem'));
    case 'BatchWriteItem':
      return Object.keys((input.RequestItems ?? {}) as object).map((table) => onTable(table, 'BatchWriteItem'));
    default:
      return [onTable(input.TableName, operation, input.IndexName)];
  }
};

/**
 * What one S3 command asks IAM for. Most operations are the action of the same name; these are not
 * (HeadObject is authorized by s3:GetObject, listing a bucket by s3:ListBucket). A command this map
 * does not know asks for an action no policy grants: it fails closed.
 */
export const s3Requests: RequestsOf = (commandName, input) => {
  const operation = operationOf(commandName);
  const bucket = `arn:aws:s3:::${String(input.Bucket)}`;
  const object = `${bucket}/${String(input.Key)}`;
  switch (operation) {
    case 'GetObject':
    case 'HeadObject':
      return [{ action: 's3:GetObject', resource: object, ifMissing: bucket }];
    case 'PutObject':
    case 'DeleteObject':
      return [{ action: `s3:${operation}`, resource: object }];
    case 'ListObjectsV2':
    case 'ListObjects':
      // A listing carries the prefix it asks for: a grant may be limited to it (s3:prefix).
      return [
        { action: 's3:ListBucket', resource: bucket, context: { 's3:prefix': typeof input.Prefix === 'string' ? input.Prefix : '' } },
      ];
    case 'HeadBucket':
      return [{ action: 's3:ListBucket', resource: bucket }];
    default:
      return [{ action: `s3:unmapped:${operation}`, resource: bucket }];
  }
};

/** What one SES v2 command asks IAM for: sending is authorized on the sender's identity. */
export const sesRequests: RequestsOf = (commandName, input) => {
  const operation = operationOf(commandName);
  if (operation !== 'SendEmail') return [{ action: `ses:unmapped:${operation}`, resource: '*' }];
  const from = String(input.FromEmailAddress ?? '');
  return [{ action: 'ses:SendEmail', resource: `arn:aws:ses:${LOCAL_ACCOUNT.region}:${LOCAL_ACCOUNT.account}:identity/${from}` }];
};

/** What one Secrets Manager command asks IAM for: reading a secret is authorized on its ARN (by name, the name's ARN). */
export const secretsRequests: RequestsOf = (commandName, input) => {
  const operation = operationOf(commandName);
  const id = String(input.SecretId ?? '');
  const resource = id.startsWith('arn:') ? id : localSecretArn(id);
  return [{ action: operation === 'GetSecretValue' ? 'secretsmanager:GetSecretValue' : `secretsmanager:unmapped:${operation}`, resource }];
};
