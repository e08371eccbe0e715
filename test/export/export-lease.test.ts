import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { ExportAlreadyRunningError, runExport } from '../../src/export/index.ts';
import { leaseName, processScope } from '../../src/export/lease.ts';
import { tryAcquireLease } from '../../src/store/locks/repository.ts';
import { dialects } from '../support/databases.ts';
import { createExportFixture, manyInvoicesDocument, type ExportFixture } from '../support/export-fixture.ts';

/**
 * A run killed after it took the company's export lease but before it wrote its run's row: the lease row itself
 * names the holder's process (migration 0013), so the next run proves it dead and takes over at once instead of
 * being refused for the lease's whole TTL. A live holder, or one in another kernel or pid namespace, keeps it.
 */
const deadPid = (): number => {
  const child = spawnSync(process.execPath, ['-e', '']);
  assert.ok(child.pid);
  return child.pid;
};

for (const dialect of dialects) {
  void describe(`export lease held by a process that is gone [${dialect}]`, () => {
    let f: ExportFixture;
    let companyId = 0;
    const run = () => runExport({ db: f.db, config: f.config, logger: f.logger, companyId, startedBy: 'test', dryRun: false });
    const holdLease = (holder: { pid: number; scope: string | null }) => tryAcquireLease(f.db.kysely, leaseName(companyId), 60_000, holder);

    before(async () => {
      f = await createExportFixture(dialect);
      await f.load(manyInvoicesDocument('LSE', 3, 'S'));
      companyId = await f.companyId('LSE');
      await f.connect('LSE');
    });
    after(async () => f.close());

    void it('a live holder without a run row keeps the lease; so does a dead pid of another kernel or namespace', async () => {
      const live = await holdLease({ pid: process.pid, scope: processScope() });
      assert.ok(live);
      await assert.rejects(run(), ExportAlreadyRunningError);
      await live.release();
      const elsewhere = await holdLease({ pid: deadPid(), scope: 'another-boot/pid:[1]' });
      assert.ok(elsewhere);
      await assert.rejects(run(), ExportAlreadyRunningError);
      await elsewhere.release();
    });

    void it('a holder killed before it wrote its run row is proven dead: the next run takes over and exports', async () => {
      assert.ok(await holdLease({ pid: deadPid(), scope: processScope() }));
      const s = await run();
      assert.equal(s.status, 'succeeded', JSON.stringify(s.errors));
      assert.equal(s.invoices.created, 3);
    });
  });
}
