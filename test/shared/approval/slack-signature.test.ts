import { describe, expect, it } from 'vitest';
import { verifySlackSignature } from '#shared/approval/slack-signature.ts';

// Slack's official vector (the signature tests of Slack's Python SDK).
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = '1531420618';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const NOW = Number(TIMESTAMP) + 10;

describe('verifySlackSignature', () => {
  it("accepts Slack's official example", () => {
    expect(verifySlackSignature({ body: BODY, timestamp: TIMESTAMP, signature: SIGNATURE }, SECRET, NOW)).toEqual({ valid: true });
  });
  it('refuses a tampered body, a wrong secret and a wrong signature', () => {
    expect(
      verifySlackSignature({ body: BODY.replace('roadrunner', 'coyote'), timestamp: TIMESTAMP, signature: SIGNATURE }, SECRET, NOW),
    ).toEqual({ valid: false, reason: 'bad-signature' });
    expect(verifySlackSignature({ body: BODY, timestamp: TIMESTAMP, signature: SIGNATURE }, `${SECRET}x`, NOW)).toEqual({
      valid: false,
      reason: 'bad-signature',
    });
    expect(verifySlackSignature({ body: BODY, timestamp: TIMESTAMP, signature: `${SIGNATURE.slice(0, -1)}0` }, SECRET, NOW)).toEqual({
      valid: false,
      reason: 'bad-signature',
    });
    expect(verifySlackSignature({ body: BODY, timestamp: TIMESTAMP, signature: 'v0=short' }, SECRET, NOW)).toEqual({
      valid: false,
      reason: 'bad-signature',
    });
  });
  it('refuses a timestamp more than 5 minutes old or ahead, and a signature replayed with a new timestamp', () => {
    expect(verifySlackSignature({ body: BODY, timestamp: TIMESTAMP, signature: SIGNATURE }, SECRET, Number(TIMESTAMP) + 301)).toEqual({
      valid: false,
      reason: 'stale-timestamp',
    });
    expect(verifySlackSignature({ body: BODY, timestamp: TIMESTAMP, signature: SIGNATURE }, SECRET, Number(TIMESTAMP) - 301)).toEqual({
      valid: false,
      reason: 'stale-timestamp',
    });
    expect(verifySlackSignature({ body: BODY, timestamp: String(NOW), signature: SIGNATURE }, SECRET, NOW)).toEqual({
      valid: false,
      reason: 'bad-signature',
    });
  });
  it('refuses missing or malformed headers', () => {
    expect(verifySlackSignature({ body: BODY, timestamp: undefined, signature: SIGNATURE }, SECRET, NOW)).toEqual({
      valid: false,
      reason: 'missing-headers',
    });
    expect(verifySlackSignature({ body: BODY, timestamp: TIMESTAMP, signature: undefined }, SECRET, NOW)).toEqual({
      valid: false,
      reason: 'missing-headers',
    });
    expect(verifySlackSignature({ body: BODY, timestamp: '1531420618.5', signature: SIGNATURE }, SECRET, NOW)).toEqual({
      valid: false,
      reason: 'missing-headers',
    });
    expect(verifySlackSignature({ body: BODY, timestamp: TIMESTAMP, signature: SIGNATURE.replace('v0=', 'v1=') }, SECRET, NOW)).toEqual({
      valid: false,
      reason: 'missing-headers',
    });
  });
});
