import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { AUDIT_BY_DAY_INDEX } from '../../shared/audit/audit-day.ts';

// The actions of Table.grantWriteData / grantReadData. Those also grant `<table>/index/*` once the
// table has an index: a wildcard (cdk-nag IAM5), and for writers a grant on something never written.
const WRITE = ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable'];
const READ = [
  'dynamodb:BatchGetItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];

/** Writing audit records: the table only. */
export const grantAuditWrite = (audit: ITable, grantee: IGrantable): Grant =>
  Grant.addToPrincipal({ grantee, actions: WRITE, resourceArns: [audit.tableArn] });

/** Reading the audit trail: the table, and its index by day by name (the usage report). */
export const grantAuditRead = (audit: ITable, grantee: IGrantable): Grant =>
  Grant.addToPrincipal({ grantee, actions: READ, resourceArns: [audit.tableArn, `${audit.tableArn}/index/${AUDIT_BY_DAY_INDEX.name}`] });
