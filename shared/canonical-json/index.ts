export { canonicalJson, hashCanonical } from './canonical-json.ts';
