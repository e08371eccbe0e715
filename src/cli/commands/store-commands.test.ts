import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openDatabase } from '../../store/db.ts';
import { findUserByEmail, userCompanies, verifyUser } from '../../store/users/repository.ts';

const dir = mkdtempSync(join(tmpdir(), 'qbo-cli-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const databaseUrl = `sqlite:${join(dir, 'cli.db')}`;

interface Run { code: number | null; stdout: string; stderr: string }

/** Runs the real `./bin/qbo-export` against the temp SQLite database. */
function cli(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/qbo-export', ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, APP_SECRET: 'k'.repeat(64), LOG_LEVEL: 'silent' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

void describe('qbo-export import, counts, users (end to end)', () => {
  void it('imports a document and prints the counts as JSON and as a table', async () => {
    const file = join(dir, 'acme.json');
    writeFileSync(file, JSON.stringify({
      companies: [{ code: 'ACME', name: 'Acme', qbPrimaryCompany: true }, { code: 'BETA', name: 'Beta' }],
      customers: [{ customerNo: 'C-1', name: "O'Brien & Sons" }, { customerNo: 'C-2', name: 'Inactive', active: false }],
      products: [{ productNo: 'W-1', unitPrice: '12.50' }, { productNo: 'W-2', financialSystemProductId: '7' }],
      invoices: [
        { invoiceNo: 'INV-1', customerNo: 'C-1', invoiceDate: '2026-11-02', status: 'approved', lines: [{ productNo: 'W-1', qty: '2', unitPrice: '12.50' }] },
        { invoiceNo: 'INV-2', customerNo: 'C-1', invoiceDate: '2026-11-02', status: 'draft', lines: [{ productNo: 'W-1', qty: '1', unitPrice: '12.50' }] },
      ],
      creditMemos: [{ memoNo: 'CM-1', customerNo: 'C-1', memoDate: '2026-11-03', status: 'approved', appliesTo: 'INV-1', lines: [{ productNo: 'W-1', qty: '1', unitPrice: '12.50' }] }],
    }));
    const imported = await cli(['import', file, '--company', 'ACME']);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /imported 2 companies, 2 customers, 2 products, 2 invoices, 1 credit memos \(3 lines\)/);

    const json = await cli(['counts', '--company', 'ACME', '--json']);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(json.stdout.trim(), '{"company":"ACME","productExportQty":1,"customerExportQty":1,"invoiceExportQty":1,"creditMemoExportQty":1}');
    const table = await cli(['counts', '--company', 'ACME']);
    assert.match(table.stdout, /Company\s+ACME\nProduct Export Qty\s+1\nCustomer Export Qty\s+1\nInvoice Export Qty\s+1\nCredit Memo Export Qty\s+1/);

    const unknown = await cli(['counts', '--company', 'NOPE']);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stdout, '');
    assert.match(unknown.stderr, /Unknown company NOPE/);
    // Under --json the error is JSON on stdout too, with the same exit code.
    const unknownJson = await cli(['counts', '--company', 'NOPE', '--json']);
    assert.equal(unknownJson.code, 2);
    assert.deepEqual(JSON.parse(unknownJson.stdout), { error: { code: 'COULD_NOT_RUN', message: 'Unknown company NOPE' } });
  });

  void it('rejects a bad file with exit 1, one line per problem, and writes nothing', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({
      customers: [{ customerNo: 'C-9', name: 'Good Customer' }],
      invoices: [{ company: 'ACME', invoiceNo: 'INV-9', customerNo: 'C-404', invoiceDate: '2026-13-01', status: 'approved', lines: [{ productNo: 'W-1', qty: '-1', unitPrice: '1' }] }],
    }));
    const run = await cli(['import', file]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^bad\.json: invoices\[0\] INV-9 invoiceDate: expected a real calendar date/m);
    assert.match(run.stderr, /^bad\.json: invoices\[0\] INV-9 lines\[0\]\.qty: must not be negative/m);
    assert.match(run.stderr, /nothing from this file was imported/);
    const db = openDatabase(databaseUrl);
    try {
      assert.equal(await db.kysely.selectFrom('customers').select('id').where('customer_no', '=', 'C-9').executeTakeFirst(), undefined);
    } finally {
      await db.close();
    }
  });

  void it('adds users: a generated password shown once, a password from stdin, more companies later', async () => {
    const generated = await cli(['users', 'add', 'ann@example.com', '--company', 'ACME']);
    assert.equal(generated.code, 0, generated.stderr);
    const password = /Password \(shown only this once\): (\S+)/.exec(generated.stdout)?.[1];
    assert.ok(password && password.length >= 20);

    const piped = await cli(['users', 'add', 'bob@example.com', '--company', 'ACME,BETA', '--password-stdin'], 'a long secret phrase\n');
    assert.equal(piped.code, 0, piped.stderr);
    assert.doesNotMatch(piped.stdout, /a long secret phrase/);
    const again = await cli(['users', 'add', 'ann@example.com', '--company', 'BETA']);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /Password/);

    const db = openDatabase(databaseUrl);
    try {
      assert.ok(await verifyUser(db.kysely, 'ann@example.com', password));
      assert.ok(await verifyUser(db.kysely, 'bob@example.com', 'a long secret phrase'));
      const ann = (await findUserByEmail(db.kysely, 'ann@example.com'))!;
      assert.deepEqual((await userCompanies(db.kysely, ann.id)).map((c) => c.code), ['ACME', 'BETA']);
    } finally {
      await db.close();
    }
  });
});
