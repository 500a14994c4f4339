import { describe, expect, it } from 'vitest';
import { evaluatePolicies, wildcardMatch, type PolicyStatement } from '../../../../infra/local/iam/policy-evaluator.ts';
import { dynamoDbRequests, s3Requests, sesRequests } from '../../../../infra/local/iam/aws-requests.ts';

const table = (name: string) => `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`;
const read: PolicyStatement = {
  Effect: 'Allow',
  Action: ['dynamodb:GetItem', 'dynamodb:Query'],
  Resource: [table('Orders'), `${table('Orders')}/index/*`],
};

describe('evaluatePolicies', () => {
  it.each([
    ['the granted action on the granted table', 'dynamodb:GetItem', table('Orders'), 'Allowed'],
    ['action names in any case', 'DynamoDB:getitem', table('Orders'), 'Allowed'],
    ['an index of the granted table', 'dynamodb:Query', `${table('Orders')}/index/byUser`, 'Allowed'],
    ['an action not granted', 'dynamodb:PutItem', table('Orders'), 'ImplicitlyDenied'],
    ['another table', 'dynamodb:GetItem', table('Tickets'), 'ImplicitlyDenied'],
    ['a table whose name starts like the granted one', 'dynamodb:GetItem', table('OrdersArchive'), 'ImplicitlyDenied'],
    ['resource names in another case', 'dynamodb:GetItem', table('orders'), 'ImplicitlyDenied'],
  ] as const)('%s: %s', (_what, action, resource, decision) => {
    expect(evaluatePolicies([read], { action, resource })).toBe(decision);
  });

  it('lets an explicit Deny win over any Allow', () => {
    const deny: PolicyStatement = { Effect: 'Deny', Action: 'dynamodb:*', Resource: '*' };
    expect(evaluatePolicies([read, deny], { action: 'dynamodb:GetItem', resource: table('Orders') })).toBe('ExplicitlyDenied');
  });

  it('takes NotAction and NotResource as the complement', () => {
    const allButDelete: PolicyStatement = { Effect: 'Allow', NotAction: 'dynamodb:Delete*', NotResource: table('Audit') };
    expect(evaluatePolicies([allButDelete], { action: 'dynamodb:PutItem', resource: table('Orders') })).toBe('Allowed');
    expect(evaluatePolicies([allButDelete], { action: 'dynamodb:DeleteItem', resource: table('Orders') })).toBe('ImplicitlyDenied');
    expect(evaluatePolicies([allButDelete], { action: 'dynamodb:PutItem', resource: table('Audit') })).toBe('ImplicitlyDenied');
  });

  it('checks conditions, and fails closed on an operator it does not know', () => {
    const profile = 'arn:aws:bedrock:us-east-1:000000000000:inference-profile/us.m';
    const viaProfile: PolicyStatement = {
      Effect: 'Allow',
      Action: 'bedrock:InvokeModel',
      Resource: 'arn:aws:bedrock:*::foundation-model/m',
      Condition: { StringEquals: { 'bedrock:InferenceProfileArn': profile } },
    };
    const request = { action: 'bedrock:InvokeModel', resource: 'arn:aws:bedrock:us-west-2::foundation-model/m' };
    expect(evaluatePolicies([viaProfile], { ...request, context: { 'bedrock:InferenceProfileArn': profile } })).toBe('Allowed');
    expect(evaluatePolicies([viaProfile], request)).toBe('ImplicitlyDenied');
    expect(evaluatePolicies([viaProfile], { ...request, context: { 'bedrock:InferenceProfileArn': `${profile}x` } })).toBe(
      'ImplicitlyDenied',
    );
    const odd: PolicyStatement = {
      Effect: 'Allow',
      Action: '*',
      Resource: '*',
      Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    };
    expect(
      evaluatePolicies([odd], { action: 'dynamodb:GetItem', resource: table('Orders'), context: { 'aws:SourceIp': '10.1.1.1' } }),
    ).toBe('ImplicitlyDenied');
    expect(evaluatePolicies([{ ...odd, Effect: 'Deny' }, read], { action: 'dynamodb:GetItem', resource: table('Orders') })).toBe(
      'ExplicitlyDenied',
    );
  });
});

describe('wildcardMatch', () => {
  it('knows * and ? and nothing else', () => {
    expect(wildcardMatch('arn:*:table/a?c', 'arn:aws:table/abc')).toBe(true);
    expect(wildcardMatch('a.c', 'abc')).toBe(false);
    expect(wildcardMatch('*', '')).toBe(true);
    expect(wildcardMatch('a*b*c', 'a-b-b-d')).toBe(false);
  });
});

describe('dynamoDbRequests', () => {
  it('names what each command asks IAM for, item by item in a transaction', () => {
    expect(dynamoDbRequests('GetItemCommand', { TableName: 'Orders' })).toEqual([
      { action: 'dynamodb:GetItem', resource: table('Orders') },
    ]);
    expect(dynamoDbRequests('QueryCommand', { TableName: 'Orders', IndexName: 'byUser' })).toEqual([
      { action: 'dynamodb:Query', resource: `${table('Orders')}/index/byUser` },
    ]);
    expect(
      dynamoDbRequests('TransactWriteItemsCommand', {
        TransactItems: [{ Put: { TableName: 'Runs' } }, { Update: { TableName: 'Runs' } }, { ConditionCheck: { TableName: 'Audit' } }],
      }).map((r) => r.action),
    ).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']);
  });
});

describe('unusedGrants', () => {
  it('lists each granted action and resource no recorded call used', async () => {
    const { unusedGrants } = await import('../../../../infra/local/iam/least-privilege.ts');
    const policies = new Map([['lookup_order', [read, { Effect: 'Deny', Action: '*', Resource: table('Audit') } as PolicyStatement]]]);
    const used = new Map([['lookup_order', new Set([`dynamodb:GetItem ${table('Orders')}`])]]);
    expect(unusedGrants(policies, used).get('lookup_order')).toEqual([
      { action: 'dynamodb:GetItem', resource: `${table('Orders')}/index/*` },
      { action: 'dynamodb:Query', resource: table('Orders') },
      { action: 'dynamodb:Query', resource: `${table('Orders')}/index/*` },
    ]);
  });
});

describe('s3Requests and sesRequests', () => {
  it('ask for what S3 authorizes each command by, with the bucket whose ListBucket decides 404 or 403', () => {
    const object = 'arn:aws:s3:::docs/documents/a.md';
    expect(s3Requests('GetObjectCommand', { Bucket: 'docs', Key: 'documents/a.md' })).toEqual([
      { action: 's3:GetObject', resource: object, ifMissing: 'arn:aws:s3:::docs' },
    ]);
    expect(s3Requests('HeadObjectCommand', { Bucket: 'docs', Key: 'documents/a.md' })).toEqual([
      { action: 's3:GetObject', resource: object, ifMissing: 'arn:aws:s3:::docs' },
    ]);
    expect(s3Requests('DeleteObjectCommand', { Bucket: 'docs', Key: 'documents/a.md' })).toEqual([
      { action: 's3:DeleteObject', resource: object },
    ]);
    // A listing carries its prefix as the condition key s3:prefix, as AWS sets it.
    expect(s3Requests('ListObjectsV2Command', { Bucket: 'docs', Prefix: 'runs/r1/' })).toEqual([
      { action: 's3:ListBucket', resource: 'arn:aws:s3:::docs', context: { 's3:prefix': 'runs/r1/' } },
    ]);
    // A command the map does not know asks for an action nobody is granted: it fails closed.
    expect(s3Requests('PutBucketPolicyCommand', { Bucket: 'docs' })[0]?.action).toBe('s3:unmapped:PutBucketPolicy');
  });

  it("authorize SendEmail on the sender's identity, and nothing else", () => {
    expect(sesRequests('SendEmailCommand', { FromEmailAddress: 'agent@example.com' })).toEqual([
      { action: 'ses:SendEmail', resource: 'arn:aws:ses:us-east-1:000000000000:identity/agent@example.com' },
    ]);
    expect(sesRequests('CreateEmailIdentityCommand', {})[0]?.action).toBe('ses:unmapped:CreateEmailIdentity');
  });
});
