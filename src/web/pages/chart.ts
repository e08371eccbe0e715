import { Big } from 'big.js';
import type { Db } from '../../store/db.ts';
import { lineAmount } from '../../store/erp/money.ts';
import { html, type SafeHtml } from '../render/html.ts';

export interface DayExport {
  /** YYYY-MM-DD (UTC). */
  readonly day: string;
  readonly invoices: number;
  /** Exact sum of the invoices' line amounts, two decimals. */
  readonly amount: string;
}

const DAYS = 30;

/** Invoices transferred per day over the last 30 days (UTC), with their amounts summed exactly. */
export async function exportedPerDay(db: Db, companyId: number, now: Date): Promise<DayExport[]> {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (DAYS - 1)));
  const rows = await db.kysely
    .selectFrom('sales_invoices')
    .leftJoin('invoice_lines', 'invoice_lines.invoice_id', 'sales_invoices.id')
    .select(['sales_invoices.id', 'sales_invoices.transferred_at', 'invoice_lines.qty', 'invoice_lines.unit_price'])
    .where('sales_invoices.company_id', '=', companyId)
    .where('sales_invoices.transferred_at', '>=', first.toISOString())
    .execute();
  const days = new Map<string, { ids: Set<number>; amount: Big }>();
  for (let i = 0; i < DAYS; i++) {
    const d = new Date(first.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    days.set(d, { ids: new Set(), amount: new Big(0) });
  }
  for (const r of rows) {
    const day = days.get((r.transferred_at ?? '').slice(0, 10));
    if (!day) continue;
    day.ids.add(r.id);
    if (r.qty !== null && r.unit_price !== null) day.amount = day.amount.plus(lineAmount(r.qty, r.unit_price));
  }
  return [...days].map(([day, v]) => ({ day, invoices: v.ids.size, amount: v.amount.toFixed(2) }));
}

function formatMoney(amount: string): string {
  const [whole = '0', cents = '00'] = amount.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/**
 * Two rows of bars sharing the day axis: amounts above, invoice counts below. Heights are geometry only
 * (a float is fine for pixels); every figure shown as text is the exact decimal.
 */
export function renderChart(data: readonly DayExport[]): SafeHtml {
  const width = 640;
  const barW = width / Math.max(data.length, 1);
  const maxAmount = data.reduce((m, d) => (new Big(d.amount).gt(m) ? new Big(d.amount) : m), new Big(0));
  const maxCount = Math.max(1, ...data.map((d) => d.invoices));
  const totalInvoices = data.reduce((n, d) => n + d.invoices, 0);
  const totalAmount = data.reduce((s, d) => s.plus(d.amount), new Big(0)).toFixed(2);
  const amountH = 90;
  const countH = 50;
  const bars = data.map((d, i) => {
    const x = (i * barW + 1).toFixed(1);
    const w = Math.max(barW - 2, 1).toFixed(1);
    const ah = maxAmount.gt(0) ? Number(new Big(d.amount).div(maxAmount).times(amountH).toFixed(1)) : 0;
    const ch = (d.invoices / maxCount) * countH;
    const label = `${d.day}: ${d.invoices} invoice${d.invoices === 1 ? '' : 's'}, ${formatMoney(d.amount)}`;
    return html`<g><title>${label}</title>
      <rect class="bar" x="${x}" y="${(14 + amountH - ah).toFixed(1)}" width="${w}" height="${ah.toFixed(1)}"/>
      <rect class="bar" opacity="0.55" x="${x}" y="${(124 + countH - ch).toFixed(1)}" width="${w}" height="${ch.toFixed(1)}"/></g>`;
  });
  const svg = html`<svg class="chart" viewBox="0 0 ${width} 196" role="img" aria-labelledby="chart-title chart-desc">
    <title id="chart-title">Invoices and amounts exported per day, last 30 days</title>
    <desc id="chart-desc">${totalInvoices} invoices, ${formatMoney(totalAmount)} in total, from ${data[0]?.day ?? ''} to ${data.at(-1)?.day ?? ''}.</desc>
    <text x="0" y="10">Amount (max ${formatMoney(maxAmount.toFixed(2))})</text>
    <text x="0" y="120">Invoices (max ${maxCount})</text>
    <line class="axis" x1="0" x2="${width}" y1="${14 + amountH}" y2="${14 + amountH}"/>
    <line class="axis" x1="0" x2="${width}" y1="${124 + countH}" y2="${124 + countH}"/>
    ${bars}
    <text x="0" y="192">${data[0]?.day ?? ''}</text>
    <text x="${width}" y="192" text-anchor="end">${data.at(-1)?.day ?? ''}</text>
  </svg>`;
  return html`${svg}
    <p class="notice">Last 30 days: <strong>${totalInvoices}</strong> invoices exported, <strong>${formatMoney(totalAmount)}</strong> in total.</p>`;
}
