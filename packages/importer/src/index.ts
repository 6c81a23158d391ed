export * from './limits.ts';
export { importError } from './errors.ts';
export type { ImportError } from './errors.ts';
export * from './fields.ts';
export { detectFileType } from './filetype.ts';
export type { FileType } from './filetype.ts';
export { detectEncodingOfBuffer, detectEncodingOfChunks, decodeChunks, encodeText } from './encoding.ts';
export type { TextEncoding } from './encoding.ts';
export { CsvParser, parseCsv, parseCsvChunks, writeCsv, detectDelimiter } from './csv.ts';
export type { Delimiter } from './csv.ts';
export { detectHeader, applyMappingOverride, missingRequired } from './header.ts';
export type { ColumnMapping, MappedColumn, MappingOverride, HeaderDetection } from './header.ts';
export { isBlankRow } from './row.ts';
export type { CellNote, SourceRow } from './row.ts';
export { readTable } from './table.ts';
export type { ImportInput, ReadTableOptions, Table } from './table.ts';
export * from './normalise.ts';
export { isNamePlaceholder, nameForIndividual, usccSaysIndividual } from './individual.ts';
export type { IndividualName } from './individual.ts';
export { ROW_REASONS, verdictOf } from './reasons.ts';
export type { ReasonCode, RowReason, Severity, Verdict } from './reasons.ts';
export {
  validateEntityRow,
  validateInspectorRow,
  validateItemRow,
  validateJointItemRow,
  ENTITY_SPEC,
  INSPECTOR_SPEC,
  ITEM_SPEC,
  JOINT_ITEM_SPEC,
} from './validate.ts';
export type {
  CodeStatus,
  EntityRecord,
  InspectorRecord,
  ItemRecord,
  JointItemRecord,
  KindSpec,
  RowResult,
  ValidateOptions,
} from './validate.ts';
export { RowProcessor } from './processor.ts';
export { columnLetter, invalidCells, tableTextError } from './text-check.ts';
export type { RowReport } from './processor.ts';
export { importFile, SPECS } from './import.ts';
export type { ImportCounts, ImportOptions, ImportReport, RecordOf } from './import.ts';
export { writeReportXlsx } from './report.ts';
export { PARSE_END_CHANNEL, PARSE_START_CHANNEL, parseWorkbookInWorker } from './parse-in-worker.ts';
export type { ParseLimits, ParsedWorkbook } from './parse-in-worker.ts';
export { checkZipLimits, readCfbDirectory, readZipDirectory } from './container.ts';
