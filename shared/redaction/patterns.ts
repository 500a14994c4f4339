// Compared word by word, so `author`, `shipping` or `businessName` are not taken for secrets.
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'tokens',
  'authorization',
  'cookie',
  'cookies',
  'credential',
  'credentials',
  'ssn',
  'card',
  'cvv',
  'cvc',
  'pin',
  'otp',
  'signature',
  'session',
  'apikey',
  'privatekey',
]);
const SECRET_PAIRS = new Set(['apikey', 'accesskey', 'privatekey', 'secretkey', 'signingkey']);

/** Splits `x-api-key`, `apiKey`, `API_KEY`, `creditCardNumber` into lower-case words. */
export const keyWords = (key: string): string[] =>
  key
    .replaceAll(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/** Whether a key's value is a secret whatever it looks like. */
export const isSecretKey = (key: string): boolean => {
  const words = keyWords(key);
  return words.some((word, i) => SECRET_WORDS.has(word) || SECRET_PAIRS.has(word + (words[i + 1] ?? '')));
};

/** Secret-looking values, found anywhere inside a string. Order matters: longest shapes first. */
export const SECRET_VALUES: ReadonlyArray<readonly [label: string, pattern: RegExp]> = [
  ['private-key', /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g],
  ['jwt', /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g],
  ['bearer', /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi],
  ['aws-access-key', /\b(?:AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g],
  ['aws-secret-key', /\b(?=[A-Za-z0-9/+]*[0-9])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[A-Z])[A-Za-z0-9/+]{40}\b/g],
  ['slack-token', /\bxox[abposr]-[A-Za-z0-9-]{10,}/g],
  // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-api03-), Stripe (sk_live_, rk_test_) and the like.
  ['api-key', /\b(?:sk|rk)[-_](?:[A-Za-z0-9]+[-_]){0,3}[A-Za-z0-9_-]{20,}/g],
  ['github-token', /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/g],
  ['google-api-key', /\bAIza[A-Za-z0-9_-]{35}\b/g],
];

/** Query parameters that carry a secret under a name `isSecretKey` does not know (presigned and SAS URLs, OAuth codes, API keys). */
const URL_SECRET_PARAMS = new Set(['sig', 'key', 'code', 'auth', 'access_token', 'id_token', 'refresh_token', 'client_secret']);

/** Whether a URL query parameter of this name carries a secret. */
export const isSecretParam = (name: string): boolean => URL_SECRET_PARAMS.has(name.toLowerCase()) || isSecretKey(name);

/** A query parameter (`?name=value`, `&name=value`): its value is masked when the name says secret. */
export const URL_PARAM = /([?&;])([^=&#;\s"'<>]{1,64})=([^&#;\s"'<>]*)/g;
/** The password of `scheme://user:password@host`. */
export const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)([^\s/@]+)@/gi;

/** 13 to 19 digits, optionally grouped by spaces or dashes: a card number if it passes Luhn. */
export const CARD_CANDIDATE = /\b\d(?:[ -]?\d){12,18}\b/g;

/**
 * Whether a digit string passes the Luhn check (a card number), so redaction masks card numbers
 * and leaves other numbers alone.
 */
export const passesLuhn = (digits: string): boolean => {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
};
