import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEachDialect } from '../../../test/support/databases.ts';
import { upsertCompany } from '../erp/companies.ts';
import {
  consumeOAuthState, deleteConnection, findConnection, insertOAuthState, markNeedsReconnect, saveNewConnection, saveRefreshedTokens,
} from './repository.ts';

describeEachDialect('connections repository', ({ db }) => {
  let companyId = 0;
  const t0 = new Date('2026-11-25T12:00:00Z');
  const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

  before(async () => {
    companyId = (await upsertCompany(db().kysely, { code: 'C1', name: 'C1', qbPrimaryCompany: false })).id;
  });

  void it('an OAuth state is good once, and not after it expired', async () => {
    await insertOAuthState(db().kysely, { stateHash: 'h1', companyId, userId: null, createdAt: t0, expiresAt: minutes(10) });
    await insertOAuthState(db().kysely, { stateHash: 'h2', companyId, userId: 7, createdAt: t0, expiresAt: minutes(10) });
    assert.equal(await consumeOAuthState(db().kysely, 'h1', minutes(11)), undefined, 'expired');
    const row = await consumeOAuthState(db().kysely, 'h2', minutes(1));
    assert.equal(row?.company_id, companyId);
    assert.equal(row?.user_id, 7);
    assert.equal(await consumeOAuthState(db().kysely, 'h2', minutes(2)), undefined, 'replayed');
    assert.equal(await consumeOAuthState(db().kysely, 'unknown', minutes(1)), undefined);
  });

  void it('of many simultaneous callbacks with the same state, exactly one gets it', async () => {
    await insertOAuthState(db().kysely, { stateHash: 'race', companyId, userId: null, createdAt: t0, expiresAt: minutes(10) });
    const results = await Promise.all(Array.from({ length: 10 }, () => consumeOAuthState(db().kysely, 'race', minutes(1))));
    assert.equal(results.filter(Boolean).length, 1);
  });

  void it('saves, refreshes (keeping the hard expiry when not reported), marks and deletes a connection', async () => {
    const tokens = { accessTokenEnc: 'a1', refreshTokenEnc: 'r1', accessTokenExpiresAt: minutes(60).toISOString(), refreshTokenExpiresAt: minutes(1000).toISOString(), hardExpiresAt: minutes(5000).toISOString() };
    await saveNewConnection(db().kysely, companyId, '123', tokens, t0);
    await saveRefreshedTokens(db().kysely, companyId, { accessTokenEnc: 'a2', refreshTokenEnc: 'r2', accessTokenExpiresAt: minutes(120).toISOString(), refreshTokenExpiresAt: minutes(2000).toISOString() }, minutes(60));
    let row = await findConnection(db().kysely, companyId);
    assert.equal(row?.refresh_token_enc, 'r2');
    assert.equal(row?.hard_expires_at, tokens.hardExpiresAt);
    assert.equal(row?.last_refresh_at, minutes(60).toISOString());
    await markNeedsReconnect(db().kysely, companyId, 'why', minutes(61));
    row = await findConnection(db().kysely, companyId);
    assert.equal(row?.needs_reconnect, 1);
    assert.equal(row?.reconnect_reason, 'why');
    // Reconnecting replaces the row and clears the flag.
    await saveNewConnection(db().kysely, companyId, '456', tokens, minutes(62));
    row = await findConnection(db().kysely, companyId);
    assert.equal(row?.needs_reconnect, 0);
    assert.equal(row?.realm_id, '456');
    assert.equal(await deleteConnection(db().kysely, companyId), true);
    assert.equal(await findConnection(db().kysely, companyId), undefined);
  });
});
