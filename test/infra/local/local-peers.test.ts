import { describe, expect, it } from 'vitest';
import { LOCAL_PEERS_INSTALL, LocalPeerMissingError, resolveLocalPeer } from '../../../infra/local/local-peers.ts';

describe("local mode's embedded services (optional peers of guarded-agents/local)", () => {
  it('are found when installed', () => {
    expect(resolveLocalPeer('dynalite', 'db/index.js')).toMatch(/dynalite[/\\]db[/\\]index\.js$/);
  });

  it('name the missing one and the command that installs them all', () => {
    const notInstalled = () => {
      throw Object.assign(new Error("Cannot find module 's3rver'"), { code: 'MODULE_NOT_FOUND' });
    };
    const error = (() => {
      try {
        resolveLocalPeer('s3rver', undefined, notInstalled);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(LocalPeerMissingError);
    expect(error?.message).toContain('guarded-agents/local needs s3rver, which is not installed');
    expect(error?.message).toContain(LOCAL_PEERS_INSTALL);
    expect(LOCAL_PEERS_INSTALL).toBe(
      'npm install --save-dev dynalite@4.0.0 s3rver@3.7.1 aws-ses-v2-local@2.10.2 aws-local-stepfunctions@3.0.0 uplot@1.6.32',
    );
  });

  it('pass on any other failure as it is', () => {
    const broken = () => {
      throw new SyntaxError('broken package.json');
    };
    expect(() => resolveLocalPeer('uplot', undefined, broken)).toThrow(SyntaxError);
  });
});
