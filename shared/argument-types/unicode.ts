/**
 * Characters a model can use to hide text from a human reviewer or to smuggle instructions:
 * C0/C1 controls (Cc), format characters (Cf: zero-width, bidi overrides and isolates, tag
 * characters, soft hyphen, BOM), lone surrogates (Cs) and the line/paragraph separators (Zl/Zp).
 */
const hidden = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const hiddenExceptLayout = /(?![\n\t])[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/** Returns the first hidden character's code point as `U+XXXX`, or undefined when there is none. */
export const findHiddenCharacter = (value: string, allowLayout = false): string | undefined => {
  const match = (allowLayout ? hiddenExceptLayout : hidden).exec(value);
  if (!match) return undefined;
  return `U+${(match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
};
