import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../infra/cdk-app.ts';
import {
  installCommand,
  OptionalPeerMissingError,
  peerLoadError,
  requireFeature,
  resolvePeer,
} from '../../../shared/optional-peers/index.ts';

const notInstalled = () => {
  throw Object.assign(new Error('Cannot find module'), { code: 'MODULE_NOT_FOUND' });
};

const thrown = (act: () => unknown): Error | undefined => {
  try {
    act();
  } catch (error) {
    return error as Error;
  }
  return undefined;
};

describe('optional peers: what only local mode, tracing or Cedar policies need', () => {
  it('are found when installed', () => {
    expect(resolvePeer('local', 'dynalite', 'db/index.js')).toMatch(/dynalite[/\\]db[/\\]index\.js$/);
    // Cedar exports only its builds, not its root: installed all the same.
    expect(() => requireFeature('policies')).not.toThrow();
    expect(() => requireFeature('tracing')).not.toThrow();
  });

  it("name local mode's missing one and the command that installs local mode's peers and tracing's", () => {
    const error = thrown(() => resolvePeer('local', 's3rver', undefined, notInstalled));
    expect(error).toBeInstanceOf(OptionalPeerMissingError);
    expect(error?.message).toContain('guarded-agents/local needs s3rver, which is not installed');
    expect(error?.message).toContain(installCommand('local', 'tracing'));
    expect(installCommand('local', 'tracing')).toBe(
      'npm install --save-dev dynalite@4.0.0 s3rver@3.7.1 aws-ses-v2-local@2.10.2 aws-local-stepfunctions@3.0.0 uplot@1.6.32 ' +
        '@opentelemetry/context-async-hooks@3.1.0 @opentelemetry/core@3.1.0 @opentelemetry/exporter-trace-otlp-http@0.301.0 ' +
        '@opentelemetry/exporter-trace-otlp-proto@0.301.0 @opentelemetry/otlp-transformer@0.301.0 @opentelemetry/resources@3.1.0 ' +
        '@opentelemetry/sdk-trace@3.1.0',
    );
  });

  it("name a deployed feature's missing one with a command that installs it as a dependency (it is bundled into the functions)", () => {
    const cedar = thrown(() => requireFeature('policies', notInstalled));
    expect(cedar).toBeInstanceOf(OptionalPeerMissingError);
    expect(cedar?.message).toBe(
      "Cedar policies needs @cedar-policy/cedar-wasm, which is not installed: Cedar's engine is an optional peer dependency (a deployment without policies needs none of it). Install them with:\n  npm install @cedar-policy/cedar-wasm@4.13.0",
    );
    const tracing = thrown(() => requireFeature('tracing', (id) => (id === '@opentelemetry/sdk-trace' ? notInstalled() : id)));
    expect(tracing?.message).toContain('tracing needs @opentelemetry/sdk-trace, which is not installed');
    expect(tracing?.message).toContain(`\n  ${installCommand('tracing')}`);
    expect(installCommand('tracing')).not.toContain('--save-dev');
  });

  it('name cdk-nag, which only attachNagPacks loads, with a command that installs it for development (nothing deployed carries it)', () => {
    expect(() => requireFeature('nag')).not.toThrow();
    const nag = thrown(() => requireFeature('nag', notInstalled));
    expect(nag).toBeInstanceOf(OptionalPeerMissingError);
    expect(nag?.message).toContain('attachNagPacks needs cdk-nag, which is not installed');
    expect(installCommand('nag')).toBe('npm install --save-dev cdk-nag@3.0.2');
    expect(nag?.message).toContain(`\n  ${installCommand('nag')}`);
  });

  it('are installed by the very commands the docs give', () => {
    const doc = (page: string) => readFileSync(join(REPO_ROOT, 'docs', page), 'utf8');
    for (const command of [
      installCommand('local', 'tracing'),
      installCommand('tracing'),
      installCommand('policies'),
      installCommand('nag'),
    ])
      expect(doc('getting-started.md')).toContain(`\`${command}\``);
    expect(doc('tracing.md')).toContain(installCommand('tracing'));
    expect(doc('policies.md')).toContain(`\`${installCommand('policies')}\``);
  });

  it("name what an import() of a missing one failed with (ESM's code), as compilePolicies loads Cedar", () => {
    const failure = Object.assign(new Error("Cannot find package '@cedar-policy/cedar-wasm'"), { code: 'ERR_MODULE_NOT_FOUND' });
    const error = peerLoadError('policies', '@cedar-policy/cedar-wasm', failure) as Error;
    expect(error).toBeInstanceOf(OptionalPeerMissingError);
    expect(error.cause).toBe(failure);
    expect(error.message).toContain(installCommand('policies'));
    const other = new SyntaxError('broken');
    expect(peerLoadError('policies', '@cedar-policy/cedar-wasm', other)).toBe(other);
  });

  it('pass on any other failure as it is', () => {
    const broken = () => {
      throw new SyntaxError('broken package.json');
    };
    expect(() => resolvePeer('local', 'uplot', undefined, broken)).toThrow(SyntaxError);
    expect(() => requireFeature('policies', broken)).toThrow(SyntaxError);
  });
});
