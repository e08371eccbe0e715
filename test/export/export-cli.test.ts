import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createExportFixture, invoice, sampleDocument, runCli, type ExportFixture } from '../support/export-fixture.ts';
import { UNAUTHORIZED_MESSAGE } from '../../src/export/index.ts';

/** The CLI contract (docs/design.md): exit 0 all exported, 1 some records failed, 2 could not run; --json is one document. */
void describe('qbo-export export and log commands', () => {
  let f: ExportFixture;

  before(async () => {
    f = await createExportFixture('sqlite');
    await f.load(sampleDocument('CLI'));
    await f.load({
      companies: [{ code: 'OFF', name: 'Not Connected Co', qbPrimaryCompany: true }],
      products: [{ company: 'OFF', productNo: 'X', type: 'Service', unitPrice: '1' }],
      invoices: [invoice('CLI', 'CLI-BAD', 'C-100', [{ charge: 'Setup', qboItemName: 'No Such Item', qty: '1', unitPrice: '5' }])],
    });
    await f.connect('CLI');
  });
  after(async () => f.close());

  void it('not connected: exit 2 and the seed sentence, and a failed Process Log entry', async () => {
    const r = await runCli(f, ['export', '--company', 'OFF']);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(r.stderr.split('\n').includes(UNAUTHORIZED_MESSAGE), r.stderr);
    const log = await runCli(f, ['log', '--company', 'OFF', '--json']);
    const { runs } = JSON.parse(log.stdout) as { runs: Array<{ status: string; error: string; name: string }> };
    assert.equal(runs.length, 1);
    assert.deepEqual([runs[0]?.name, runs[0]?.status, runs[0]?.error], ['Sales Invoice Exporter', 'failed', UNAUTHORIZED_MESSAGE]);
  });

  void it('--dry-run --json then a real run: one JSON document each, exit 1 when a record fails, 2 for an unknown company', async () => {
    const dry = await runCli(f, ['export', '--company', 'CLI', '--dry-run', '--json']);
    const real = await runCli(f, ['export', '--company', 'CLI', '--json']);
    assert.equal(dry.code, 1, dry.stderr);
    assert.equal(real.code, 1, real.stderr);
    const a = JSON.parse(dry.stdout) as Record<string, unknown>;
    const b = JSON.parse(real.stdout) as Record<string, unknown>;
    for (const key of ['runId', 'status', 'customers', 'products', 'invoices', 'errors']) assert.ok(key in b, key);
    assert.equal(b.status, 'partial');
    assert.deepEqual(b.invoices, { created: 3, alreadyInQbo: 0, failed: 1, inDoubt: 0 });
    assert.deepEqual([a.customers, a.products, a.invoices], [b.customers, b.products, b.invoices]);
    assert.deepEqual(b.errors, [{ record: 'Invoice CLI-BAD', message: "Invoice CLI-BAD: line 1: QuickBooks has no product named 'No Such Item'; create it in QuickBooks or fix the line charge" }]);
    const unknown = await runCli(f, ['export', '--company', 'NOPE']);
    assert.equal(unknown.code, 2);
  });

  void it('log shows entries and one entry with its messages, errors first', async () => {
    const list = await runCli(f, ['log', '--company', 'CLI']);
    assert.equal(list.code, 0);
    assert.match(list.stdout, /^#\d+ Sales Invoice Exporter · CLI · partial · .* · by cli:/m);
    assert.match(list.stdout, /\(dry run\)/);
    const id = /^#(\d+) .* partial · (?!.*dry run)/m.exec(list.stdout)?.[1];
    const one = await runCli(f, ['log', '--run', id ?? '0']);
    assert.equal(one.code, 0, one.stderr);
    const lines = one.stdout.split('\n').filter((l) => /^\s+(ERROR|WARNING|INFO)/.test(l));
    assert.match(lines[0] ?? '', /^\s+ERROR\s+Invoice CLI-BAD: line 1: QuickBooks has no product named 'No Such Item'/);
    assert.ok(lines.some((l) => /INFO\s+Invoice INV-1001: created in QuickBooks/.test(l)));
  });
});
