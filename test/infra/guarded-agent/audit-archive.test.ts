import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { GuardedAgentsStack } from '../../../infra/guarded-agents-stack.ts';
import { attachNagPacks } from '../../../infra/nag-acknowledgements.ts';
import { refsIn, testApp, type Resources } from './demo-stack-template.ts';

// The audit archive (auditArchiveDays): the Object Lock bucket, and who may write and read it.

describe('the audit archive', () => {
  it('is off by default: no Object Lock bucket, no function told of one', () => {
    const stack = new GuardedAgentsStack(testApp(), 'NoArchive', { senderEmail: 'agent@example.com' });
    const json = Template.fromStack(stack).toJSON();
    expect(
      Object.values(json.Resources as Record<string, { Properties?: Record<string, unknown> }>).some(
        (r) => r.Properties?.ObjectLockEnabled,
      ),
    ).toBe(false);
    expect(JSON.stringify(json)).not.toContain('AUDIT_ARCHIVE_BUCKET');
    // Nor an S3 client in CallModel's or the API's bundle: their entries leave the archive out.
    for (const entry of stack.agent.entries.values()) expect(readFileSync(entry, 'utf8')).not.toContain('auditArchiveFromEnv');
  });

  it('when on, locks each finished run’s chain and each seal’s anchor in compliance mode; CallModel may only put under runs/, the API only get and list there; cdk-nag clean', () => {
    const app = testApp();
    const stack = new GuardedAgentsStack(app, 'Archived', { senderEmail: 'agent@example.com', auditArchiveDays: 365 });
    attachNagPacks(app);
    app.synth();
    const template = Template.fromStack(stack);
    const bucket = stack.getLogicalId(stack.agent.auditArchive?.node.defaultChild as never);
    const resource = template.toJSON().Resources[bucket];
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } } },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect(template.toJSON().Outputs.AuditArchiveBucketName.Value).toEqual({ Ref: bucket });
    const archiveStatements = (description: string) => {
      const json = template.toJSON().Resources as Resources;
      const [, fn] = Object.entries(json).find(
        ([, r]) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.Description).startsWith(description),
      )!;
      expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.AUDIT_ARCHIVE_BUCKET).toEqual({ Ref: bucket });
      const role = refsIn(fn.Properties.Role)[0] as string;
      return Object.values(json)
        .filter((r) => r.Type === 'AWS::IAM::Policy' && refsIn(r.Properties.Roles).includes(role))
        .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Array<{ Action: string | string[]; Resource: unknown }> }).Statement)
        .filter((statement) => JSON.stringify(statement.Resource).includes(bucket));
    };
    const onRuns = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/runs/*']] };
    expect(archiveStatements('Agent loop: calls the model')).toEqual([
      expect.objectContaining({ Action: 's3:PutObject', Resource: onRuns }),
    ]);
    // The API reads, and lists only under runs/ (a run's anchors).
    expect(archiveStatements('HTTP API')).toEqual([
      expect.objectContaining({ Action: 's3:GetObject', Resource: onRuns }),
      expect.objectContaining({
        Action: 's3:ListBucket',
        Resource: { 'Fn::GetAtt': [bucket, 'Arn'] },
        Condition: { StringLike: { 's3:prefix': ['runs/*'] } },
      }),
    ]);
    // Written once, by anyone: a put without If-None-Match, which could stack a forged version, is denied by the bucket.
    const bucketPolicy = Object.values(template.toJSON().Resources as Resources).find(
      (r) => r.Type === 'AWS::S3::BucketPolicy' && JSON.stringify(r.Properties.Bucket).includes(bucket),
    );
    expect((bucketPolicy?.Properties.PolicyDocument as { Statement: unknown[] }).Statement).toContainEqual(
      expect.objectContaining({
        Sid: 'WriteOnceOnly',
        Effect: 'Deny',
        Action: 's3:PutObject',
        Resource: onRuns,
        Condition: { Null: { 's3:if-none-match': 'true' } },
      }),
    );
    const entries = stack.agent.entries;
    for (const fn of ['CallModel', 'Api']) expect(readFileSync(entries.get(fn) as string, 'utf8')).toContain('auditArchiveFromEnv()');
  });

  it('refuses a retention under a day', () => {
    expect(() => new GuardedAgentsStack(testApp(), 'Short', { auditArchiveDays: 0 })).toThrow(/at least one day/);
  });
});
