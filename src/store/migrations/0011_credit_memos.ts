import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

/**
 * Credit memos (issue 16): the ERP's offsets of sales invoices, their lines, and the Process Log counters of the
 * credit-memo phase. Money as decimal TEXT and flags as 0/1, as in 0001. QBO ids are per realm (0007): a memo keeps
 * the realm its QBO id belongs to; the customer's and products' ids are read from qbo_ids.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const id = dialectOf(db).serialPrimaryKey;

  await db.schema
    .createTable('credit_memos')
    .addColumn('id', sql``, (c) => c.modifyFront(id))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('memo_no', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    .addColumn('memo_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('applies_to_invoice_id', 'integer', (c) => c.references('sales_invoices.id'))
    .addColumn('transferred', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('transferred_at', 'text')
    .addColumn('qbo_credit_memo_id', 'text')
    // The books (realm) qbo_credit_memo_id belongs to (issue 12's id model): set when the memo is transferred.
    .addColumn('qbo_realm_id', 'text')
    // none | pending | applied | unapplied: whether the credit still has to be applied to its invoice in QBO.
    .addColumn('application', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('applied_amount', 'text')
    .addColumn('qbo_payment_id', 'text')
    .addColumn('freight', 'text', (c) => c.notNull().defaultTo('0'))
    .addColumn('handling', 'text', (c) => c.notNull().defaultTo('0'))
    .addColumn('packaging', 'text', (c) => c.notNull().defaultTo('0'))
    .addColumn('order_discount', 'text', (c) => c.notNull().defaultTo('0'))
    // The tax the ERP computed on the memo (billed exactly in the `erp` sales-tax mode, issue 15); null = none given.
    .addColumn('tax_amount', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('credit_memos_company_memo_no', ['company_id', 'memo_no'])
    .execute();

  await db.schema
    .createTable('credit_memo_lines')
    .addColumn('id', sql``, (c) => c.modifyFront(id))
    .addColumn('credit_memo_id', 'integer', (c) => c.notNull().references('credit_memos.id').onDelete('cascade'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('product_id', 'integer', (c) => c.references('products.id'))
    .addColumn('charge', 'text')
    .addColumn('qbo_item_name', 'text')
    .addColumn('qty', 'text', (c) => c.notNull())
    .addColumn('unit_price', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    // Sales tax as on invoice lines (issue 15): taxable (US books) or the ERP's tax code.
    .addColumn('taxable', 'integer')
    .addColumn('tax_code', 'text')
    .addUniqueConstraint('credit_memo_lines_memo_line_no', ['credit_memo_id', 'line_no'])
    .execute();

  // Credit Memo Export Qty and the exporter read only these partial indexes (literal conditions, as in 0001).
  await sql`create index credit_memos_to_export on credit_memos (company_id) where status = 'approved' and transferred = 0`.execute(db);
  await sql`create index credit_memos_to_apply on credit_memos (company_id) where application = 'pending'`.execute(db);

  for (const counter of ['credit_memos_created', 'credit_memos_already_in_qbo', 'credit_memos_failed', 'credit_memos_applied', 'credit_memos_in_doubt']) {
    await db.schema.alterTable('export_runs').addColumn(counter, 'integer', (c) => c.notNull().defaultTo(0)).execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const counter of ['credit_memos_created', 'credit_memos_already_in_qbo', 'credit_memos_failed', 'credit_memos_applied', 'credit_memos_in_doubt']) {
    await db.schema.alterTable('export_runs').dropColumn(counter).execute();
  }
  for (const table of ['credit_memo_lines', 'credit_memos']) await db.schema.dropTable(table).execute();
}
