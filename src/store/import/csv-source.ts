import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse';
import { columnKey, csvColumns, detectCsvEntity, linesOf, type CsvEntity, type LinesEntity } from './csv-columns.ts';
import { SourceError, type RecordBatches, type SourceRecord } from './sources.ts';

const batchSize = 500;
type Row = Record<string, string>;

/**
 * Streams a CSV file of one entity as import records. Empty cells mean "no value". Rows of `invoice-lines`
 * (`credit-memo-lines`) that follow each other with the same (company, invoiceNo / memoNo) form one record: the
 * new lines of that invoice (credit memo).
 */
export async function* readCsvRecords(path: string): RecordBatches {
  const parser = createReadStream(path).pipe(parse({ bom: true, skip_empty_lines: true }));
  let entity: CsvEntity | null = null;
  let columns: string[] = [];
  let line = 0;
  let batch: SourceRecord[] = [];
  // The invoice whose line rows are being collected (an object so the closure and the loop share it).
  const open: { group: { key: string; rows: number[]; lines: Row[]; first: Row } | null } = { group: null };
  const closeGroup = () => {
    if (open.group && entity && entity in linesOf) batch.push(linesRecord(entity as LinesEntity, open.group.first, open.group.lines, open.group.rows));
    open.group = null;
  };
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      line += 1;
      if (entity === null) {
        entity = detectCsvEntity(basename(path), cells);
        if (!entity) throw new SourceError('cannot tell which records this CSV holds: name it customers.csv, products.csv, invoices.csv, invoice-lines.csv, credit-memos.csv or credit-memo-lines.csv');
        columns = headerColumns(entity, cells);
        continue;
      }
      const row: Row = {};
      cells.forEach((cell, i) => {
        const column = columns[i];
        if (column && cell.trim() !== '') row[column] = cell;
      });
      if (entity === 'invoice-lines' || entity === 'credit-memo-lines') {
        const key = `${row.company ?? ''}\t${row[linesOf[entity].key] ?? ''}`;
        if (open.group?.key !== key) closeGroup();
        const group = (open.group ??= { key, rows: [], lines: [], first: row });
        group.rows.push(line);
        group.lines.push(row);
      } else {
        batch.push({ kind: entity, label: `row ${line}`, raw: toRaw(entity, row) });
      }
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    if (error instanceof SourceError) throw error;
    throw new SourceError(`not a readable CSV file: ${(error as Error).message}`, { cause: error });
  }
  closeGroup();
  if (batch.length > 0) yield batch;
}

function headerColumns(entity: CsvEntity, header: readonly string[]): string[] {
  const known = new Map(csvColumns[entity].map((c) => [columnKey(c), c]));
  const unknown = header.filter((h) => !known.has(columnKey(h)));
  if (unknown.length > 0) {
    throw new SourceError(`unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} for ${entity} (expected ${csvColumns[entity].join(', ')})`);
  }
  return header.map((h) => known.get(columnKey(h)) ?? h);
}

function toRaw(entity: Exclude<CsvEntity, LinesEntity>, row: Row): Record<string, unknown> {
  if (entity === 'customers') {
    const { line1, line2, city, region, postalCode, country, ...rest } = row;
    const address = { line1, line2, city, region, postalCode, country };
    const hasAddress = Object.values(address).some((v) => v !== undefined);
    return hasAddress ? { ...rest, billingAddress: dropUndefined(address) } : rest;
  }
  if (entity === 'invoices') {
    const { shipLine1, shipLine2, shipCity, shipRegion, shipPostalCode, shipCountry, ...rest } = row;
    const address = { line1: shipLine1, line2: shipLine2, city: shipCity, region: shipRegion, postalCode: shipPostalCode, country: shipCountry };
    return Object.values(address).some((v) => v !== undefined) ? { ...rest, shipToAddress: dropUndefined(address) } : rest;
  }
  if (entity === 'companies' && row.settings !== undefined) {
    return { ...row, settings: parseJsonCell(row.settings) };
  }
  return row;
}

/** A record for the lines of one invoice (credit memo); problems on `lines[i].x` are reported as `row N x`. */
function linesRecord(entity: LinesEntity, first: Row, lines: Row[], rows: number[]): SourceRecord {
  const { key, kind } = linesOf[entity];
  const raw: Record<string, unknown> = {
    [key]: first[key],
    lines: lines.map(({ company: _c, [key]: _k, ...line }) => line),
  };
  if (first.company !== undefined) raw.company = first.company;
  const label = rows.length === 1 ? `row ${rows[0]}` : `rows ${rows[0]}-${rows[rows.length - 1]}`;
  return {
    kind,
    label,
    raw,
    linesOnly: true,
    describePath: (path) => path.replace(/^lines\[(\d+)\]\.?/, (_m, i: string) => `row ${rows[Number(i)] ?? '?'} `).trim(),
  };
}

function parseJsonCell(cell: string): unknown {
  try {
    return JSON.parse(cell) as unknown;
  } catch {
    return cell;
  }
}

function dropUndefined(value: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => e[1] !== undefined));
}
