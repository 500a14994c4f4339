import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';

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

/** Writing a table's items: the table only (an index is never written to). */
export const grantTableWrite = (table: ITable, grantee: IGrantable): Grant =>
  Grant.addToPrincipal({ grantee, actions: WRITE, resourceArns: [table.tableArn] });

/** Reading a table, and the indexes named (by name: no wildcard). */
export const grantTableRead = (table: ITable, grantee: IGrantable, indexes: ReadonlyArray<{ readonly name: string }> = []): Grant =>
  Grant.addToPrincipal({
    grantee,
    actions: READ,
    resourceArns: [table.tableArn, ...indexes.map((index) => `${table.tableArn}/index/${index.name}`)],
  });

/** Reading (the table and the indexes named) and writing (the table). */
export const grantTableReadWrite = (table: ITable, grantee: IGrantable, indexes: ReadonlyArray<{ readonly name: string }> = []): void => {
  grantTableRead(table, grantee, indexes);
  grantTableWrite(table, grantee);
};
