import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { dialects } from '../../../test/support/databases.ts';
import { scratchPostgres, scratchSqlite } from '../../../test/support/scratch-databases.ts';
import { migrateBefore, migrateToLatest } from '../migrate.ts';

/**
 * Migration 0007 on a database holding the old columns: P (primary) and S1, S2 (not) share the customer master,
 * P and S1 are connected to their own realms, S2 is not connected. C1's Secondary Customer ID was written by
 * S1's export (the ledger says so), C2's came from the ERP (no ledger row).
 */
for (const dialect of dialects) {
  void describe(`migration 0007: QBO ids per QuickBooks company [${dialect}]`, () => {
    void it('moves existing ids to the books their company is connected to, and keys the ledger by realm', async () => {
      const scratch = dialect === 'sqlite' ? await scratchSqlite('m0007', false) : await scratchPostgres('m0007', false);
      try {
        const db = scratch.db;
        await migrateBefore(db, '0007');
        const k = db.kysely;
        const at = '2026-11-01T00:00:00.000Z';
        await sql`insert into companies (id, code, name, qb_primary_company, created_at) values
          (1, 'P', 'Primary', 1, ${at}), (2, 'S1', 'First', 0, ${at}), (3, 'S2', 'Second', 0, ${at})`.execute(k);
        for (const [company, realm] of [[1, 'R-P'], [2, 'R-S1']] as const) {
          await sql`insert into qbo_connections (company_id, realm_id, access_token_enc, refresh_token_enc, access_token_expires_at,
            refresh_token_expires_at, connected_at, updated_at) values (${company}, ${realm}, 'a', 'r', ${at}, ${at}, ${at}, ${at})`.execute(k);
        }
        await sql`insert into customers (id, customer_no, name, financial_system_customer_id, secondary_customer_id, updated_at) values
          (1, 'C1', 'One', '10', '20', ${at}), (2, 'C2', 'Two', null, '21', ${at}), (3, 'C3', 'Three', null, null, ${at})`.execute(k);
        await sql`insert into products (id, company_id, product_no, financial_system_product_id, updated_at) values
          (1, 1, 'W', '5', ${at}), (2, 3, 'W', '6', ${at})`.execute(k);
        await sql`insert into sales_invoices (id, company_id, invoice_no, customer_id, invoice_date, transferred, transferred_at, qbo_invoice_id, updated_at) values
          (1, 2, 'I-1', 1, '2026-11-01', 1, ${at}, '130', ${at}), (2, 2, 'I-2', 1, '2026-11-01', 0, null, null, ${at})`.execute(k);
        await sql`insert into export_intents (company_id, kind, record_id, lookup_key, request_id, attempt, state, qbo_id, updated_at) values
          (2, 'customer', 1, 'One', 'x', 1, 'done', '20', ${at}), (2, 'invoice', 2, 'I-2', 'y', 1, 'pending', null, ${at})`.execute(k);

        await migrateToLatest(db);

        const ids = await k.selectFrom('qbo_ids').select(['realm_id', 'kind', 'record_id', 'qbo_id']).orderBy('kind').orderBy('record_id').orderBy('realm_id').execute();
        assert.deepEqual(ids.map((r) => [r.kind, Number(r.record_id), r.realm_id, r.qbo_id]), [
          ['customer', 1, 'R-P', '10'],
          // C1's secondary id was written by S1's export: it belongs to S1's books only, not S2's.
          ['customer', 1, 'R-S1', '20'],
          // C2's secondary id came from the ERP: every non-primary company's books, as before.
          ['customer', 2, 'R-S1', '21'],
          ['customer', 2, 'company:3', '21'],
          ['product', 1, 'R-P', '5'],
          ['product', 2, 'company:3', '6'],
        ]);
        const companies = await k.selectFrom('companies').select(['code', 'qbo_realm_id']).orderBy('code').execute();
        assert.deepEqual(companies.map((c) => [c.code, c.qbo_realm_id]), [['P', 'R-P'], ['S1', 'R-S1'], ['S2', null]]);
        const invoices = await k.selectFrom('sales_invoices').select(['invoice_no', 'qbo_realm_id']).orderBy('invoice_no').execute();
        assert.deepEqual(invoices.map((i) => [i.invoice_no, i.qbo_realm_id]), [['I-1', 'R-S1'], ['I-2', null]]);
        const intents = await k.selectFrom('export_intents').select(['kind', 'realm_id', 'state']).orderBy('kind').execute();
        assert.deepEqual(intents.map((i) => [i.kind, i.realm_id, i.state]), [['customer', 'R-S1', 'done'], ['invoice', 'R-S1', 'pending']]);
        // The ledger's key now includes the realm: the same record may have an intent in other books.
        await k.insertInto('export_intents').values({ company_id: 2, realm_id: 'R-NEW', kind: 'invoice', record_id: 2, lookup_key: 'I-2', request_id: 'z', attempt: 1, state: 'pending', qbo_id: null, updated_at: at }).execute();
        assert.equal((await k.selectFrom('export_intents').select('record_id').where('record_id', '=', 2).execute()).length, 2);
      } finally {
        await scratch.destroy();
      }
    });
  });
}
