export { createEmbeddedTables, guardTableSpecs, type TableSpec } from './table-spec.ts';
