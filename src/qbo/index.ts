/**
 * The public API of the QBO layer. Other layers import from here only.
 */
export * from './entities.ts';
export * from './errors.ts';
export { select, quote, Query, MAX_PAGE_SIZE, type QueryOperator, type QueryValue, type QueryScalar, type Condition, type OrderBy } from './query.ts';
export { createQboClient, toQboJson, MAX_BATCH_ITEMS } from './client.ts';
export { SlidingWindowLimiter, sharedRealmLimiter, qboLimits, systemClock, type LimiterSettings, type Window } from './limiter.ts';
export { shouldRetry, backoffMs, defaultRetryPolicy, type RetryDecision, type RetryReason, type RetryInput } from './retry.ts';
export { parseFault, classifyFault, toQboError, type ParsedFault } from './fault.ts';
export type * from './types.ts';
export { qboClientForCompany } from './company-client.ts';
export { booksName, beginConnect, completeConnect, describeConnectOutcome, oauthStateHash, STATE_TTL_MS, type CallbackSession, type ConnectOutcome, type OutcomeMessage } from './auth/connect.ts';
export { getConnectionStatus, type ConnectionStatus, type ReconnectReasonCode } from './auth/status.ts';
export { CompanyTokenSource } from './auth/token-store.ts';
export type { ConnectionStore, StoredConnection, EncryptedTokens, PendingAuthorization } from './auth/connection-store.ts';
export { decideToken, daysUntilRefreshExpiry, expiryWarning, REFRESH_AHEAD_MS, WARN_DAYS, type TokenDecision, type TokenTimes } from './auth/lifetimes.ts';
export { OAuthError, ACCOUNTING_SCOPE } from './auth/oauth.ts';
export { disconnectCompany, type DisconnectResult } from './auth/disconnect.ts';
export { SECRET_MISMATCH_MESSAGE, TokenDecryptError } from './auth/crypto.ts';
