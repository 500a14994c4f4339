export { allowlistedUrl, refusedUrlReason, type AllowlistedUrlOptions } from './allowlisted-url.ts';
export { boundedInt, type BoundedNumberOptions } from './bounded-number.ts';
export { boundedText, type BoundedTextOptions } from './bounded-text.ts';
export { identifier, type IdentifierOptions } from './identifier.ts';
export { safeRelativePath, unsafePathReason, type SafePathOptions } from './safe-path.ts';
export { emailAddress, type EmailAddressOptions } from './email-address.ts';
export { findHiddenCharacter } from './unicode.ts';
