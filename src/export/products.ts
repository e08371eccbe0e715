import { select } from '../qbo/query.ts';
import { countProductsToExport } from '../store/erp/counts.ts';
import { listProductsToExport, setProductQboId } from '../store/erp/products.ts';
import type { ExportProduct as Product } from '../store/erp/app-types.ts';
import type { ExportIntent } from '../store/runs/tables.ts';
import type { Item } from '../qbo/entities.ts';
import { resolveAccounts } from './accounts.ts';
import { decideProduct, type AccountRefs } from './decisions.ts';
import { findByKeys, findOne } from './lookups.ts';
import { describeQboError } from './messages.ts';
import { nameKey } from './names.ts';
import type { PhaseOutcomes } from './outcomes.ts';
import { recordMatch, runMatchOrAddPhase } from './match-or-add-phase.ts';
import type { RecordRef, RunContext } from './run-context.ts';
import { getIntents } from '../store/runs/intents.ts';
import { holdInDoubt, settleInDoubt } from './in-doubt.ts';

/**
 * Seed: products without a Financial System Product ID are matched in QBO by Item Name (= productNo) or added;
 * the QBO Item Id is written back as the Financial System Product ID.
 */
export async function exportProducts(rc: RunContext, outcomes: PhaseOutcomes): Promise<void> {
  let accounts: Promise<AccountRefs> | undefined;
  // The realm's accounts are read once per run, and only when a product has to be added.
  const accountsOnce = () => (accounts ??= rc.client.queryAll(select('Account').where('Active', '=', true)).then((rows) => resolveAccounts(rows, rc.settings)));
  await runMatchOrAddPhase<Product>(rc, {
    phase: 'products',
    kind: 'product',
    count: () => countProductsToExport(rc.db.kysely, rc.company.id, rc.books),
    page: (afterId, limit) => listProductsToExport(rc.db.kysely, rc.company.id, rc.books, afterId === undefined ? { limit } : { afterId, limit }),
    prepare: async (page) => {
      const inQbo = await findByKeys(rc.client, 'Item', page.map((p) => p.productNo));
      const needAccounts = page.some((p) => !(inQbo.get(nameKey(p.productNo)) ?? []).length);
      const refs = needAccounts ? await accountsOnce() : null;
      return (product, intent) => exportProduct(rc, outcomes, product, inQbo.get(nameKey(product.productNo)) ?? [], refs, intent);
    },
  });
  // Invoices need their products: writes still in doubt are settled before the phase ends.
  await settleInDoubt(rc, 'product');
}

const noAccounts: AccountRefs = { income: 'no account', expense: 'no account', asset: 'no account' };

async function exportProduct(
  rc: RunContext,
  outcomes: PhaseOutcomes,
  product: Product,
  sameName: readonly Item[],
  accounts: AccountRefs | null,
  intent: ExportIntent | undefined,
): Promise<void> {
  const ref: RecordRef & { kind: 'product' } = { kind: 'product', key: product.productNo };
  const failed = (message: string, qboCode: string | null = null) => {
    outcomes.products.set(product.id, { qboId: null, problem: message });
    rc.record(ref, { tally: 'failed', message, qboCode });
  };
  const decision = decideProduct(product, sameName, accounts ?? noAccounts, rc.today);
  if (decision.action === 'fail') return failed(decision.message);
  if (decision.action === 'match') {
    return recordMatch(rc, ref, product.id, decision, outcomes.products, (trx, id) => setProductQboId(trx, rc.books, product.id, id));
  }
  const outcome = await rc.writer.add(rc, {
    kind: 'product',
    recordId: product.id,
    lookupKey: product.productNo,
    entity: 'Item',
    payload: decision.payload,
    find: async (key) => {
      const found = await findOne(rc.client, 'Item', key);
      return found ? { kind: 'ours', entity: found } : { kind: 'none' };
    },
    commit: (trx, qboId) => setProductQboId(trx, rc.books, product.id, qboId),
  }, intent);
  switch (outcome.kind) {
    case 'planned':
      outcomes.products.set(product.id, { qboId: outcome.standInId });
      outcomes.plannedItems.set(nameKey(product.productNo), outcome.standInId);
      rc.record(ref, { tally: 'added', message: `will be added to QuickBooks as a ${product.type} product` });
      return;
    case 'created':
    case 'adopted': {
      const id = outcome.entity.Id;
      outcomes.products.set(product.id, { qboId: id });
      rc.record(ref, outcome.kind === 'created'
        ? { tally: 'added', message: `added to QuickBooks as a ${product.type} product (Id ${id})` }
        : { tally: 'matched', message: `found in QuickBooks as product "${outcome.entity.Name}" (Id ${id}), from an earlier interrupted export or already there; matched` });
      return;
    }
    case 'conflict':
      return failed(outcome.message, outcome.qboCode);
    case 'in-doubt':
      outcomes.products.set(product.id, { qboId: null, problem: `product ${product.productNo} is in doubt in QuickBooks (its answer was lost); the invoice is exported once that is settled` });
      return holdInDoubt(rc, {
        kind: 'product', recordId: product.id, ref, sentAt: outcome.sentAt,
        settle: async () => exportProduct(rc, outcomes, product, [], accounts, (await getIntents(rc.db.kysely, rc.scope, 'product', [product.id])).get(product.id)),
      });
    case 'taken':
    case 'failed':
      return failed(describeQboError(outcome.error), outcome.error.qboCode);
  }
}
