import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import type { Kysely } from 'kysely';
import { describeEachDialect } from '../../../test/support/databases.ts';
import type { Database } from '../schema.ts';
import { findCompanyByCode } from '../erp/companies.ts';
import { exportCounts } from '../erp/counts.ts';
import { findInvoiceByNo } from '../erp/invoices.ts';
import { booksOf, setQboIds } from '../erp/qbo-ids.ts';
import { findCreditMemoByNo, listCreditMemosToApply, listCreditMemosToExport, markCreditMemoTransferred } from '../credit-memos/repository.ts';
import { formatProblem, importFile } from './importer.ts';

const dir = mkdtempSync(join(tmpdir(), 'qbo-credit-memo-import-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
function file(name: string, content: string): string {
  const path = join(dir, `${fileNo++}-${name}`);
  writeFileSync(path, content);
  return path;
}

async function memoRows(k: Kysely<Database>): Promise<number[]> {
  return Promise.all((['credit_memos', 'credit_memo_lines'] as const).map(async (t) => Number((await k.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)));
}

const base = {
  companies: [{ code: 'CM', name: 'Credit Co' }, { code: 'OTHER', name: 'Other Co' }],
  customers: [{ customerNo: 'CM-C1', name: 'First Customer' }, { customerNo: 'CM-C2', name: 'Second Customer' }],
  products: [{ company: 'CM', productNo: 'CM-P1', unitPrice: '10' }],
  invoices: [
    { company: 'CM', invoiceNo: 'CM-INV-1', customerNo: 'CM-C1', invoiceDate: '2026-11-02', status: 'approved', lines: [{ productNo: 'CM-P1', qty: '3', unitPrice: '10' }] },
    { company: 'OTHER', invoiceNo: 'OT-INV-1', customerNo: 'CM-C1', invoiceDate: '2026-11-02', status: 'approved', lines: [{ charge: 'Fee', qboItemName: 'Services', qty: '1', unitPrice: '5' }] },
  ],
};

describeEachDialect('import credit memos', ({ db }) => {
  void it('imports credit memos with and without appliesTo from JSON, counts them, and re-imports idempotently', async () => {
    const k = db().kysely;
    const memo = (qty: string) => ({
      company: 'CM', memoNo: 'CM-1', customerNo: 'CM-C1', memoDate: '2026-11-05', status: 'approved', appliesTo: 'CM-INV-1',
      freight: 2.5, lines: [{ productNo: 'CM-P1', qty, unitPrice: 10 }, { charge: 'Restocking', qboItemName: 'Services', qty: '1', unitPrice: '0.10' }],
    });
    const doc = (qty: string) => JSON.stringify({
      ...base,
      creditMemos: [memo(qty), { company: 'CM', memoNo: 'CM-2', customerNo: 'CM-C2', memoDate: '2026-11-06', status: 'draft', lines: [{ productNo: 'CM-P1', qty: '1', unitPrice: '10' }] }],
    });
    const first = await importFile(db(), file('memos.json', doc('1')));
    assert.deepEqual(first.problems, []);
    assert.deepEqual(first.counts, { companies: 2, customers: 2, products: 1, invoices: 2, creditMemos: 2, lines: 5 });
    const company = (await findCompanyByCode(k, 'CM'))!;
    assert.equal((await exportCounts(k, company.id)).creditMemoExportQty, 1, 'only the approved memo qualifies');
    const again = await importFile(db(), file('memos.json', doc('2')));
    assert.equal(again.ok, true);
    assert.deepEqual(await memoRows(k), [2, 3], 're-import replaces, never adds');
    const [listed] = await listCreditMemosToExport(k, company.id, { limit: 10 }, booksOf(company));
    assert.ok(listed);
    assert.equal(listed.memo.memoNo, 'CM-1');
    assert.equal(listed.memo.freight, '2.5');
    assert.equal(listed.appliesTo?.invoiceNo, 'CM-INV-1');
    assert.equal(listed.appliesTo?.id, (await findInvoiceByNo(k, company.id, 'CM-INV-1'))?.id);
    assert.deepEqual(listed.lines.map((l) => [l.lineNo, l.productNo, l.qty, l.unitPrice, l.charge, l.qboItemName]), [
      [1, 'CM-P1', '2', '10', null, null],
      [2, null, '1', '0.10', 'Restocking', 'Services'],
    ]);

    // QBO ids are read per books (issue 12): the customer's and products' ids of the books asked for, none of others'.
    await setQboIds(k, [
      { books: 'realm-a', kind: 'customer', recordId: listed.customer.id, qboId: 'A-C' },
      { books: 'realm-b', kind: 'customer', recordId: listed.customer.id, qboId: 'B-C' },
      { books: 'realm-b', kind: 'product', recordId: listed.lines[0]!.productId!, qboId: 'B-P' },
    ]);
    const inBooks = async (books: string) => (await listCreditMemosToExport(k, company.id, { limit: 10 }, books)).find((m) => m.memo.id === listed.memo.id)!;
    assert.deepEqual([(await inBooks('realm-a')).customerQboId, (await inBooks('realm-a')).lines[0]?.productQboId], ['A-C', null]);
    assert.deepEqual([(await inBooks('realm-b')).customerQboId, (await inBooks('realm-b')).lines[0]?.productQboId], ['B-C', 'B-P']);
    await k.transaction().execute((trx) => markCreditMemoTransferred(trx, listed.memo.id, '77', 'pending', new Date(), 'realm-b'));
    assert.equal((await findCreditMemoByNo(k, company.id, 'CM-1'))?.qbo_realm_id, 'realm-b', 'a transferred memo keeps its books');
    assert.deepEqual((await listCreditMemosToApply(k, company.id, 'realm-b')).map((m) => [m.memo.memoNo, m.customerQboId]), [['CM-1', 'B-C']]);
    assert.deepEqual(await listCreditMemosToApply(k, company.id, 'realm-a'), [], 'a credit is applied only in the books the memo went to');
    assert.equal((await exportCounts(k, company.id)).creditMemoExportQty, 0);
    const before = await memoRows(k);
    // Re-import is idempotent (issue 12's rule for invoices): the same document changes nothing and says nothing.
    const same = await importFile(db(), file('memos.json', doc('2')));
    assert.deepEqual([same.ok, same.problems, same.warnings], [true, [], []]);
    // A change to a transferred memo is not applied: a warning names the fields, the rest of the file is imported.
    const changed = await importFile(db(), file('memos.json', doc('3')));
    assert.deepEqual([changed.ok, changed.problems], [true, []]);
    assert.equal(changed.warnings.length, 1);
    assert.match(formatProblem(changed.file, changed.warnings[0]!), /creditMemos\[0\] CM-1 lines\[0\]: not applied: the credit memo was already transferred to QuickBooks \(QBO credit memo 77\)/);
    assert.deepEqual(await memoRows(k), before);
    assert.equal((await findCreditMemoByNo(k, company.id, 'CM-1'))?.application, 'pending');
  });

  void it('checks credit memos as invoices are checked, naming record and field, and writes nothing of a bad file', async () => {
    const k = db().kysely;
    assert.equal((await importFile(db(), file('base.json', JSON.stringify(base)))).ok, true);
    const before = await memoRows(k);
    const good = { company: 'CM', customerNo: 'CM-C1', memoDate: '2026-11-05', status: 'approved', lines: [{ productNo: 'CM-P1', qty: '1', unitPrice: '10' }] };
    const bad = await importFile(db(), file('bad.json', JSON.stringify({
      creditMemos: [
        { ...good, memoNo: 'M-TOO-LONG-0123456789X' },
        { ...good, memoNo: 'M-CUST', customerNo: 'NOBODY' },
        { ...good, memoNo: 'M-PROD', lines: [{ productNo: 'NOPE', qty: '1', unitPrice: '1' }] },
        { ...good, memoNo: 'M-DEC', lines: [{ productNo: 'CM-P1', qty: '1.2.3', unitPrice: '1' }] },
        { ...good, memoNo: 'M-INV', appliesTo: 'NO-SUCH-INV' },
        { ...good, memoNo: 'M-OTHERCO', appliesTo: 'OT-INV-1' },
        { ...good, memoNo: 'M-WHO', customerNo: 'CM-C2', appliesTo: 'CM-INV-1' },
        { ...good, memoNo: 'M-OK' },
        { ...good, memoNo: 'M-OK' },
      ],
    })));
    assert.equal(bad.ok, false);
    const messages = bad.problems.map((p) => formatProblem(bad.file, p));
    for (const expected of [
      /creditMemos\[0\] M-TOO-LONG-0123456789X memoNo: at most 21 characters/,
      /creditMemos\[1\] M-CUST customerNo: unknown customer "NOBODY"/,
      /creditMemos\[2\] M-PROD lines\[0\]\.productNo: unknown product "NOPE"/,
      /creditMemos\[3\] M-DEC lines\[0\]\.qty: expected a decimal number/,
      /creditMemos\[4\] M-INV appliesTo: unknown invoice "NO-SUCH-INV" of this company/,
      /creditMemos\[5\] M-OTHERCO appliesTo: unknown invoice "OT-INV-1" of this company/,
      /creditMemos\[6\] M-WHO appliesTo: invoice "CM-INV-1" is for customer CM-C1, not CM-C2/,
      /creditMemos\[8\] M-OK memoNo: "M-OK" appears twice in this file/,
    ]) assert.ok(messages.some((m) => expected.test(m)), `${String(expected)} in\n${messages.join('\n')}`);
    assert.equal(bad.problemCount, 8);
    assert.deepEqual(await memoRows(k), before);
  });

  void it('imports credit-memos.csv and credit-memo-lines.csv', async () => {
    const k = db().kysely;
    assert.equal((await importFile(db(), file('base.json', JSON.stringify(base)))).ok, true);
    const results = [
      await importFile(db(), file('credit-memos.csv', 'company,memoNo,customerNo,memoDate,status,appliesTo,freight\nCM,CSV-M1,CM-C1,2026-11-07,approved,CM-INV-1,1.50\nCM,CSV-M2,CM-C2,2026-11-08,approved,,\n')),
      await importFile(db(), file('credit-memo-lines.csv', 'company,memoNo,productNo,charge,qboItemName,qty,unitPrice,taxable,taxCode\nCM,CSV-M1,CM-P1,,,1,10,true,\nCM,CSV-M1,,Restock,Services,1,2,false,\nCM,CSV-M2,CM-P1,,,2,10,,S\n')),
    ];
    assert.deepEqual(results.map((r) => [r.ok, r.problems]), [[true, []], [true, []]]);
    const company = (await findCompanyByCode(k, 'CM'))!;
    const memos = await listCreditMemosToExport(k, company.id, { limit: 10 }, booksOf(company));
    const csv = memos.filter((m) => m.memo.memoNo.startsWith('CSV-'));
    assert.deepEqual(csv.map((m) => [m.memo.memoNo, m.memo.freight, m.appliesTo?.invoiceNo ?? null, m.lines.map((l) => l.qty)]), [
      ['CSV-M1', '1.50', 'CM-INV-1', ['1', '1']],
      ['CSV-M2', '0', null, ['2']],
    ]);
    // Sales tax on memo lines as on invoice lines (issue 15).
    assert.deepEqual(csv.map((m) => m.lines.map((l) => [l.taxable, l.taxCode])), [[[true, null], [false, null]], [[null, 'S']]]);
    // Control characters are refused in lines files of credit memos as of invoices.
    const unsafe = await importFile(db(), file('credit-memo-lines.csv', 'company,memoNo,productNo,qty,unitPrice,description\nCM,CSV-M2,CM-P1,1,1,"bad \u001b[31m"\n'));
    assert.equal(unsafe.ok, false);
    assert.match(formatProblem(unsafe.file, unsafe.problems[0]!), /description/);
    const unknown = await importFile(db(), file('credit-memo-lines.csv', 'company,memoNo,productNo,qty,unitPrice\nCM,CSV-NONE,CM-P1,1,1\n'));
    assert.match(formatProblem(unknown.file, unknown.problems[0]!), /row 2 CSV-NONE memoNo: unknown credit memo/);
  });
});
