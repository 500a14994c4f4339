import { RemovalPolicy, Stack, type Duration } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { ObjectLockRetention, type Bucket, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { loggedBucket } from './logged-bucket.ts';
import { Construct } from 'constructs';
import * as FunctionEnv from '../../functions/commons/env/function-env.ts';
import { ARCHIVE_PREFIX } from '../../shared/audit/index.ts';
import { acknowledge } from '../nag-acknowledgements.ts';

/**
 * `auditArchive`: how many days each finished run's audit chain (and each seal's anchor) stays
 * locked in the Object Lock bucket.
 */
export interface AuditArchiveProps {
  /**
   * How long each finished run's chain cannot be changed or deleted, by anyone (Object Lock in
   * compliance mode: not even the account's root user can shorten it). At least one day.
   */
  readonly retention: Duration;
}

/**
 * The bucket finished runs' audit chains are copied to, under Object Lock in compliance mode: the
 * evidence a rewritten audit table is checked against. Encrypted, public access blocked, TLS only,
 * versioned (Object Lock needs it), access-logged; always retained with the stack's deletion.
 */
export class AuditArchive extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: AuditArchiveProps) {
    super(scope, id);
    if (props.retention.toDays({ integral: false }) < 1)
      throw new Error(
        `auditArchive.retention must be at least one day (Object Lock counts whole days); got ${props.retention.toHumanString()}`,
      );
    this.bucket = loggedBucket(this, {
      what: 'audit archive',
      logsPrefix: 'audit-archive/',
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.compliance(props.retention),
      // Locked objects outlive any stack deletion anyway; the bucket says so.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Written once: a put that could overwrite (no If-None-Match) is refused for everyone, so a role
    // that may write here cannot stack a forged version on top of an anchor or an archived chain.
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'WriteOnceOnly',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${ARCHIVE_PREFIX}*`)],
        conditions: { Null: { 's3:if-none-match': 'true' } },
      }),
    );
  }

  /**
   * CallModel writes each seal's anchor while a run goes on, and each finished run's chain:
   * s3:PutObject on the runs/ prefix, nothing else (no read, no delete, no retention change).
   */
  grantArchive(fn: LambdaFunction): void {
    this.#grant(
      fn,
      's3:PutObject',
      "CallModel writes each seal's anchor and one object per finished run under runs/ of this bucket; it can neither read nor delete.",
    );
  }

  /**
   * The API reads a run's archived chain and anchors to verify the table against them: s3:GetObject
   * on the runs/ prefix, and s3:ListBucket limited to that prefix (a run's anchors are listed).
   */
  grantVerify(fn: LambdaFunction): void {
    this.#grant(
      fn,
      's3:GetObject',
      "The API reads one run's archived chain and anchors under runs/ of this bucket to verify the table against them.",
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${ARCHIVE_PREFIX}*`] } },
      }),
    );
  }

  #grant(fn: LambdaFunction, action: string, why: string): void {
    fn.addToRolePolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: [action], resources: [this.bucket.arnForObjects(`${ARCHIVE_PREFIX}*`)] }),
    );
    fn.addEnvironment(FunctionEnv.AUDIT_ARCHIVE_BUCKET.name, this.bucket.bucketName);
    acknowledge(
      fn,
      `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/${ARCHIVE_PREFIX}*]`,
      why,
    );
  }
}
