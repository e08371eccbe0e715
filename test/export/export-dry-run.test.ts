import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runExport, type ExportSummary } from '../../src/export/index.ts';
import { seedDemoData } from '../../src/store/demo/seed.ts';
import { dialects } from '../support/databases.ts';
import { createExportFixture, type ExportFixture } from '../support/export-fixture.ts';

/**
 * The dry run's promise, on the demo a newcomer tries first: its counts are what the export then does. The demo's
 * line charges post to ERP products the same run adds to QuickBooks (SETUP-FEE, FREIGHT, DISCOUNT-ADJ); the dry run
 * must find those items in its plan, as the real run finds them in QuickBooks.
 */
for (const dialect of dialects) {
  void describe(`dry run of the demo predicts the export [${dialect}]`, () => {
    let f: ExportFixture;
    let companyId = 0;
    const run = (dryRun: boolean): Promise<ExportSummary> => runExport({ db: f.db, config: f.config, logger: f.logger, companyId, startedBy: 'test', dryRun });
    const counts = (s: ExportSummary) => ({ customers: s.customers, products: s.products, invoices: s.invoices, creditMemos: s.creditMemos, status: s.status, errors: s.errors });

    before(async () => {
      f = await createExportFixture(dialect);
      await seedDemoData(f.db);
      companyId = await f.companyId('DEMO');
      await f.connect('DEMO');
    });
    after(async () => f.close());

    void it('the dry run and the export that follows count the same, with no error', async () => {
      const dry = await run(true);
      const real = await run(false);
      assert.equal(real.status, 'succeeded', JSON.stringify(real.errors));
      // The messages differ in tense ("will be created" / "created"); the counts and the errors must not.
      assert.deepEqual(counts(dry), counts(real));
      assert.ok(real.invoices.created > 0 && real.creditMemos.created > 0);
    });
  });
}
