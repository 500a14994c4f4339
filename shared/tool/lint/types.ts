import type { AnyTool } from '../define-tool.ts';

/** One lint rule broken by one tool, and why. */
export interface LintFinding {
  readonly tool: string;
  readonly rule: string;
  /** Says what is wrong and how to fix it. */
  readonly message: string;
}

/** What a lint rule reads of a tool: its declaration and its input's JSON Schema. */
export interface LintSubject {
  readonly tool: AnyTool;
  /** The JSON Schema the model will see, so rules judge exactly what the model gets. */
  readonly schema: JsonSchema;
}

/** A tool input's JSON Schema, as the model is given it. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly maxLength?: number;
  readonly maxItems?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly additionalProperties?: boolean | JsonSchema;
}

/** A rule is a pure function from one tool to its findings (messages only; the runner adds names). */
export type LintRule = (subject: LintSubject) => readonly string[];

/** Every property of an object schema, with its dotted path, at any depth. */
export const walkProperties = (schema: JsonSchema, prefix = ''): Array<[string, JsonSchema]> => {
  const out: Array<[string, JsonSchema]> = [];
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    out.push([path, child]);
    for (const nested of [child, child.items, ...(child.anyOf ?? [])]) {
      if (nested?.properties) out.push(...walkProperties(nested, nested === child.items ? `${path}[]` : path));
    }
  }
  return out;
};
