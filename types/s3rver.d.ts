// s3rver ships no types; this is the part of its API the project uses.
declare module 's3rver' {
  import type { Server } from 'node:http';
  import type { AddressInfo } from 'node:net';
  interface S3rverOptions {
    address?: string;
    /** 0: any free port. */
    port?: number;
    /** Where buckets and objects are kept (one folder per bucket). */
    directory: string;
    silent?: boolean;
    resetOnClose?: boolean;
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<AddressInfo>;
    /** Set once running. */
    httpServer?: Server;
    close(): Promise<void>;
  }
}
