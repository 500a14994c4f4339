export { createEmbeddedTables, guardTableSpecs, orchestrationTableSpecs, type TableSpec } from './table-spec.ts';
