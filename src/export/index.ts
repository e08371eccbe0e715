/**
 * The public API of the Sales Invoice Exporter. Other layers (web, cli) import from here only.
 */
export { runExport } from './run-export.ts';
export { ExportService, type ExportEvent } from './service.ts';
export { ExportAlreadyRunningError, CompanyNotFoundError } from './errors.ts';
export type { ExportSummary, ExportProgress, ExportPhase, ExportStatus, RunExportOptions, StopReason } from './types.ts';
export { EXPORT_RUN_NAME, listRuns, getRun, type RunEntry, type RunWithMessages, type RunMessage, type RunCounts } from '../store/runs/repository.ts';
export { UNAUTHORIZED_MESSAGE } from '../qbo/errors.ts';
