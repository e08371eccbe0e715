import type { Row } from '../realm.ts';
import { faults, asText } from '../wire.ts';
import { currencyRef } from '../realm-kind.ts';
import { badNameChars, bool, fail, ok, text, tooLong, withoutUndefined, type Built, type WriteContext } from './context.ts';
import { customerCurrency } from './currency.ts';

/**
 * Customer, Vendor and Employee: the "names" of QBO. DisplayName is unique across all three,
 * inactive ones included, compared without case (docs/qbo-behaviour.md §6.2; stricter where Intuit is unconfirmed).
 */
const NAME_ENTITIES = ['Customer', 'Vendor', 'Employee'];
const limits = {
  DisplayName: 500, Title: 16, GivenName: 100, MiddleName: 100, FamilyName: 100, Suffix: 16, CompanyName: 100, PrintOnCheckName: 110, Notes: 2000,
};

function nameTaken(ctx: WriteContext, displayName: string, self: { entity: string; id: string } | null): boolean {
  const wanted = displayName.trim().toLowerCase();
  for (const entity of NAME_ENTITIES) {
    for (const [id, row] of ctx.realm.entities.get(entity) ?? []) {
      if (self && self.entity === entity && self.id === id) continue;
      if (asText(row.DisplayName ?? '').trim().toLowerCase() === wanted) return true;
    }
  }
  return false;
}

function addressWithId(ctx: WriteContext, addr: unknown, previous: unknown): unknown {
  if (typeof addr !== 'object' || addr === null) return addr;
  const a = addr as Row;
  if (a.Id !== undefined) return a;
  const prevId = typeof previous === 'object' && previous !== null ? (previous as Row).Id : undefined;
  // QBO geocodes addresses it stores; one it cannot place gets "INVALID" coordinates.
  return { Id: prevId ?? asText(ctx.realm.nextAddressId++), ...a, Lat: a.Lat ?? 'INVALID', Long: a.Long ?? 'INVALID' };
}

function email(row: Row): string | null {
  const addr = (row.PrimaryEmailAddr as Row | undefined)?.Address;
  if (addr === undefined) return null;
  const s = asText(addr);
  return /@.*\./.test(s) && s.length <= 100 ? null : s;
}

export function buildName(entity: string, ctx: WriteContext, input: Row, existing: Row | null): Built {
  const parts = ['Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix'].map((k) => text(input[k])).filter((v): v is string => !!v?.trim());
  const displayName = text(input.DisplayName)?.trim() || (parts.length > 0 ? parts.join(' ') : text(existing?.DisplayName));
  if (!displayName) return fail(faults.required('DisplayName', 'DisplayName'));
  const row: Row = { ...input, DisplayName: displayName };
  const fault = badNameChars(row, ['DisplayName', 'Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix', 'PrintOnCheckName']) ?? tooLong(row, limits);
  if (fault) return fail(fault);
  const bad = email(row);
  if (bad !== null) return fail(faults.business(`Email Address does not conform to the syntax rules of RFC 822. Supplied value:${bad}`, 'PrimaryEmailAddr'));
  if (nameTaken(ctx, displayName, existing ? { entity, id: asText(existing.Id) } : null)) {
    return fail(faults.duplicateName('The name supplied already exists. : Another customer, vendor or employee is already using this \nname. Please use a different name.'));
  }
  const active = bool(input.Active) ?? true;
  const printName = text(input.PrintOnCheckName) ?? text(input.CompanyName) ?? displayName;
  if (entity === 'Customer') {
    const currency = customerCurrency(ctx.realm, input, existing);
    if ('fault' in currency) return fail(currency.fault);
    // New customers of a US company get its default tax code; other countries have no such code.
    const defaultTaxCode = ctx.realm.kind.country === 'US' ? { value: '2' } : undefined;
    return ok(withoutUndefined({
      Taxable: bool(input.Taxable) ?? true,
      ...row,
      BillAddr: addressWithId(ctx, input.BillAddr, existing?.BillAddr),
      ShipAddr: addressWithId(ctx, input.ShipAddr, existing?.ShipAddr),
      Job: bool(input.Job) ?? false,
      BillWithParent: bool(input.BillWithParent) ?? false,
      Balance: existing?.Balance ?? 0,
      BalanceWithJobs: existing?.BalanceWithJobs ?? 0,
      CurrencyRef: currency.ref,
      PreferredDeliveryMethod: text(input.PreferredDeliveryMethod) ?? 'Print',
      FullyQualifiedName: displayName,
      PrintOnCheckName: printName,
      Active: active,
      DefaultTaxCodeRef: input.DefaultTaxCodeRef ?? existing?.DefaultTaxCodeRef ?? defaultTaxCode,
    }));
  }
  if (entity === 'Vendor') {
    return ok(withoutUndefined({
      ...row, BillAddr: addressWithId(ctx, input.BillAddr, existing?.BillAddr), Balance: existing?.Balance ?? 0,
      Vendor1099: bool(input.Vendor1099) ?? false, CurrencyRef: currencyRef(ctx.realm.kind.homeCurrency), PrintOnCheckName: printName, Active: active,
    }));
  }
  return ok(withoutUndefined({
    ...row, PrimaryAddr: addressWithId(ctx, input.PrimaryAddr, existing?.PrimaryAddr), BillableTime: bool(input.BillableTime) ?? false,
    PrintOnCheckName: printName, Active: active,
  }));
}
