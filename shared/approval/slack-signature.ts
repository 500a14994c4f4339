import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SlackRequest {
  /** The raw body exactly as received (form-encoded); a re-encoded body will not verify. */
  readonly body: string;
  /** `X-Slack-Request-Timestamp` */
  readonly timestamp: string | undefined;
  /** `X-Slack-Signature` */
  readonly signature: string | undefined;
}

export type SlackSignatureVerdict =
  { readonly valid: true } | { readonly valid: false; readonly reason: 'missing-headers' | 'stale-timestamp' | 'bad-signature' };

/** Requests older or newer than this are refused, so a captured request cannot be replayed later. */
export const SLACK_TOLERANCE_SECONDS = 300;

/**
 * Slack's v0 request signature: HMAC-SHA256 over `v0:<timestamp>:<body>` with the app's signing
 * secret, compared in constant time, within 5 minutes of now in either direction.
 */
export const verifySlackSignature = (request: SlackRequest, signingSecret: string, nowSeconds: number): SlackSignatureVerdict => {
  const { timestamp, signature, body } = request;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp) || !signature.startsWith('v0='))
    return { valid: false, reason: 'missing-headers' };
  if (Math.abs(nowSeconds - Number(timestamp)) > SLACK_TOLERANCE_SECONDS) return { valid: false, reason: 'stale-timestamp' };
  const expected = Buffer.from(`v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`);
  const given = Buffer.from(signature);
  // timingSafeEqual needs equal lengths; the length itself is public (always 67 for a real signature).
  return given.length === expected.length && timingSafeEqual(given, expected) ? { valid: true } : { valid: false, reason: 'bad-signature' };
};
