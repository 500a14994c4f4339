import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { joinAccess, type DynamoDbAction, type FunctionAccess, type TableAccess, type TableKey } from '../../shared/tables/index.ts';

/**
 * Grants a function exactly what its store calls ask of each table (`FunctionAccess`, declared
 * beside the code that makes the calls): the actions on the table, and Query on each index queried,
 * by name. Never CDK's grantReadData/grantWriteData bundles, whose DescribeTable, Scan,
 * ConditionCheckItem, Batch* and stream reads no store calls (a security review reads each as a
 * finding), nor an `index/*` wildcard.
 */
export const grantAccess = (tables: Readonly<Partial<Record<TableKey, ITable>>>, grantee: IGrantable, access: FunctionAccess): void => {
  for (const [key, accesses] of Object.entries(access) as Array<[TableKey, readonly TableAccess[]]>) {
    const table = tables[key];
    if (!table) throw new Error(`grantAccess: no ${key} table was given for the access asked of it`);
    grantTableAccess(table, grantee, accesses);
  }
};

/** One table's share of `grantAccess`: the joined actions on the table, Query on the indexes named. */
export const grantTableAccess = (table: ITable, grantee: IGrantable, accesses: readonly TableAccess[]): void => {
  const { actions, queries } = joinAccess(accesses);
  const dynamodb = (names: readonly DynamoDbAction[]) => names.map((action) => `dynamodb:${action}`);
  if (actions.length > 0) Grant.addToPrincipal({ grantee, actions: dynamodb(actions), resourceArns: [table.tableArn] });
  if (queries.length > 0)
    Grant.addToPrincipal({
      grantee,
      actions: dynamodb(['Query']),
      resourceArns: queries.map((index) => `${table.tableArn}/index/${index}`),
    });
};
