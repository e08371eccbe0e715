import type { FastifyInstance } from 'fastify';
import type { EmulatorCore } from './core.ts';
import type { Realm, Row } from './realm.ts';
import { escapeHtml as e, asText } from './wire.ts';

/** A read-only look at what the emulator holds, so a user can see what an export did. */

function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p><em>none</em></p>';
  return `<table><thead><tr>${headers.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? asText((v as Row).name ?? (v as Row).value ?? '') : asText(v));

function realmSection(realm: Realm): string {
  const rows = (entity: string) => [...(realm.entities.get(entity)?.values() ?? [])];
  return `<section><h2>${e(realm.name)} <small>realm ${e(realm.id)}</small></h2>
<h3>Customers</h3>${table(['Id', 'DisplayName', 'Balance', 'Active'], rows('Customer').map((r) => [str(r.Id), str(r.DisplayName), str(r.Balance), str(r.Active)]))}
<h3>Items</h3>${table(['Id', 'Name', 'Type', 'UnitPrice', 'Active'], rows('Item').map((r) => [str(r.Id), str(r.Name), str(r.Type), str(r.UnitPrice), str(r.Active)]))}
<h3>Invoices</h3>${table(['Id', 'DocNumber', 'TxnDate', 'Customer', 'TotalAmt', 'Balance', 'Lines'], rows('Invoice').map((r) => [
    str(r.Id), str(r.DocNumber), str(r.TxnDate), str(r.CustomerRef), str(r.TotalAmt), str(r.Balance), asText(((r.Line as unknown[] | undefined)?.length ?? 1) - 1),
  ]))}</section>`;
}

export function homePage(core: EmulatorCore): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>QuickBooks Online emulator</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin-bottom:1rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}small{color:#666;font-weight:normal}</style>
</head><body><h1>QuickBooks Online emulator</h1><p>Read-only view. Default realm: ${e(core.defaultRealmId)}.</p>
${[...core.realms.values()].map(realmSection).join('\n')}</body></html>`;
}

export async function pageRoutes(app: FastifyInstance, core: EmulatorCore): Promise<void> {
  app.get('/', async (_request, reply) => reply.header('content-type', 'text/html; charset=utf-8').send(homePage(core)));
}
