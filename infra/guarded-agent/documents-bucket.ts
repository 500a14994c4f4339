import type { RemovalPolicy } from 'aws-cdk-lib';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { loggedBucket } from './logged-bucket.ts';

/** The documents bucket: encrypted, public access blocked, TLS only, versioned (a delete can be undone), access-logged. */
export class DocumentsBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: { readonly removalPolicy: RemovalPolicy }) {
    super(scope, id);
    this.bucket = loggedBucket(this, { what: 'documents bucket', logsPrefix: 'documents/', removalPolicy: props.removalPolicy });
  }
}
