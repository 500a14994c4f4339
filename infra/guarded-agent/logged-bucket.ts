import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type BucketProps } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag-acknowledgements.ts';

/**
 * A bucket as this project keeps every bucket (encrypted, public access blocked, TLS only,
 * versioned), with its server access logs in a bucket of its own (`AccessLogs`, kept a year).
 * Both are created in `scope` as `Bucket` and `AccessLogs`.
 */
export const loggedBucket = (
  scope: Construct,
  props: { readonly what: string; readonly logsPrefix: string; readonly removalPolicy: RemovalPolicy } & Pick<
    BucketProps,
    'objectLockEnabled' | 'objectLockDefaultRetention'
  >,
): Bucket => {
  const accessLogs = new Bucket(scope, 'AccessLogs', {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
    lifecycleRules: [{ expiration: Duration.days(365) }],
    removalPolicy: props.removalPolicy,
  });
  acknowledge(accessLogs, 'AwsSolutions-S1', `This is the access-log bucket of the ${props.what}; logging it into itself would loop.`);
  const { what: _what, logsPrefix, ...rest } = props;
  return new Bucket(scope, 'Bucket', {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: logsPrefix,
    ...rest,
  });
};
