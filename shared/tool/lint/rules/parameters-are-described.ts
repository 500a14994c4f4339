import { walkProperties, type LintRule } from '../types.ts';

export const MIN_PARAMETER_DESCRIPTION_LENGTH = 20;

export const parametersAreDescribed: LintRule = ({ schema }) =>
  walkProperties(schema).flatMap(([path, property]) => {
    const text = property.description?.trim() ?? '';
    if (text.length >= MIN_PARAMETER_DESCRIPTION_LENGTH) return [];
    return [
      `parameter ${path} needs a description of at least ${MIN_PARAMETER_DESCRIPTION_LENGTH} characters saying what it holds, its format and limits (e.g. "Search query string. Supports natural language questions. Max 200 characters.")`,
    ];
  });
