import { walkProperties, type JsonSchema, type LintRule } from '../types.ts';

const typesOf = (s: JsonSchema): readonly string[] => (s.type === undefined ? [] : typeof s.type === 'string' ? [s.type] : s.type);

const unbounded = (s: JsonSchema): string | undefined => {
  if (s.enum !== undefined || s.const !== undefined) return undefined;
  const types = typesOf(s);
  if (types.includes('string') && s.maxLength === undefined) return 'string without maxLength: use boundedText/identifier or z.maxLength';
  if (types.includes('array') && s.maxItems === undefined) return 'array without maxItems: add z.maxLength(n) to the array';
  if ((types.includes('number') || types.includes('integer')) && (s.minimum === undefined || s.maximum === undefined)) {
    return 'number without minimum and maximum: use boundedInt or z.minimum/z.maximum';
  }
  if (types.includes('object') && s.additionalProperties !== false) return 'object that accepts unknown keys: use z.strictObject';
  return undefined;
};

export const inputsAreBounded: LintRule = ({ schema }) => {
  const findings: string[] = [];
  if (schema.additionalProperties !== false) findings.push('input must be z.strictObject so that unknown keys are rejected');
  for (const [path, property] of walkProperties(schema)) {
    for (const candidate of [property, property.items, ...(property.anyOf ?? [])]) {
      const reason = candidate && unbounded(candidate);
      if (reason) findings.push(`parameter ${path}${candidate === property.items ? '[]' : ''}: ${reason}`);
    }
  }
  return findings;
};
