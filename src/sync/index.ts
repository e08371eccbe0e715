/**
 * QuickBooks back to the ERP (issue 14): invoice states from webhooks and change-data-capture sweeps.
 * Other layers import from here only.
 */
export { syncCompany, sweepLeaseName, type SweepResult, type SweepDeps } from './sweep.ts';
export { processNotification, validWebhookSignature, parseNotification } from './notifications.ts';
export { reexportInvoice } from './reexport.ts';
export { SyncCompanyNotFoundError, SyncAlreadyRunningError, ReexportNotAllowedError } from './errors.ts';
export { decideQboStatus, money } from './invoice-status.ts';
export { storeNotification, unprocessedNotifications, pruneNotifications } from '../store/sync/webhook-inbox.ts';
export { listInvoicesWithState, statusCounts, type InvoiceWithQboState, type StatusCounts } from '../store/sync/invoice-states.ts';
export { connectedCompanies } from '../store/sync/connected.ts';
export { QBO_STATUSES, type QboStatus } from '../store/sync/tables.ts';
export { invoiceStateJson, invoiceStatesCsv, type InvoiceStateJson } from './views.ts';
