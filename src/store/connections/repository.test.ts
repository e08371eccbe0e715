import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEachDialect } from '../../../test/support/databases.ts';
import { upsertCompany } from '../erp/companies.ts';
import {
  consumeOAuthState, deleteConnection, findConnection, insertOAuthState, markNeedsReconnect, saveNewConnection, saveRefreshedTokens, takeBooksChangeNote,
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

  void it('saves, refreshes (keeping the hard expiry when not reported), marks and deletes a connection, each at its version', async () => {
    const tokens = { accessTokenEnc: 'a1', refreshTokenEnc: 'r1', accessTokenExpiresAt: minutes(60).toISOString(), refreshTokenExpiresAt: minutes(1000).toISOString(), hardExpiresAt: minutes(5000).toISOString() };
    assert.equal(await saveNewConnection(db().kysely, companyId, { realmId: '123', companyName: 'Old Books', tokens, expectedVersion: null }, t0), true);
    assert.equal(await saveNewConnection(db().kysely, companyId, { realmId: '999', companyName: 'x', tokens, expectedVersion: null }, t0), false, 'a second first connect loses');
    const refreshed = { accessTokenEnc: 'a2', refreshTokenEnc: 'r2', accessTokenExpiresAt: minutes(120).toISOString(), refreshTokenExpiresAt: minutes(2000).toISOString() };
    assert.equal(await saveRefreshedTokens(db().kysely, companyId, 1, refreshed, minutes(60)), true);
    let row = await findConnection(db().kysely, companyId);
    assert.equal(row?.version, 2);
    assert.equal(row?.refresh_token_enc, 'r2');
    assert.equal(row?.hard_expires_at, tokens.hardExpiresAt);
    assert.equal(row?.last_refresh_at, minutes(60).toISOString());
    assert.equal(row?.qbo_company_name, 'Old Books');
    assert.equal(await markNeedsReconnect(db().kysely, companyId, 1, 'stale', minutes(61)), false, 'an older version never writes');
    assert.equal(await markNeedsReconnect(db().kysely, companyId, 2, 'why', minutes(61)), true);
    row = await findConnection(db().kysely, companyId);
    assert.equal(row?.needs_reconnect, 1);
    assert.equal(row?.reconnect_reason, 'why');
    // Reconnecting to other books replaces the row, clears the flag and remembers the books before until noted.
    assert.equal(await saveNewConnection(db().kysely, companyId, { realmId: '456', companyName: 'New Books', tokens, expectedVersion: 3 }, minutes(62)), true);
    row = await findConnection(db().kysely, companyId);
    assert.equal(row?.needs_reconnect, 0);
    assert.equal(row?.realm_id, '456');
    assert.equal(row?.version, 4);
    assert.deepEqual(await takeBooksChangeNote(db().kysely, companyId, false), { previousRealmId: '123', previousCompanyName: 'Old Books', realmId: '456', companyName: 'New Books' });
    assert.ok(await takeBooksChangeNote(db().kysely, companyId, true), 'a dry run leaves it; the run takes it');
    assert.equal(await takeBooksChangeNote(db().kysely, companyId, true), null, 'noted once');
    // A refresh that read version 3 (before the reconnect) cannot overwrite the new connection.
    assert.equal(await saveRefreshedTokens(db().kysely, companyId, 3, refreshed, minutes(63)), false);
    assert.equal((await findConnection(db().kysely, companyId))?.refresh_token_enc, 'r1');
    assert.equal(await deleteConnection(db().kysely, companyId, 3), false);
    assert.equal(await deleteConnection(db().kysely, companyId, 4), true);
    assert.equal(await findConnection(db().kysely, companyId), undefined);
  });
});
