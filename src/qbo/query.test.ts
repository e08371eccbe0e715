import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildUrl } from './http.ts';
import { quote, select } from './query.ts';

void describe('query builder', () => {
  void it('escapes apostrophes and backslashes the way QBO reads them', () => {
    assert.equal(quote("Amy's Bird Sanctuary"), "'Amy\\'s Bird Sanctuary'");
    assert.equal(quote('C:\\temp'), "'C:\\\\temp'");
    // A backslash before a quote must not be able to close the string early.
    assert.equal(quote("x\\'; DROP"), "'x\\\\\\'; DROP'");
  });

  void it('renders conditions, IN lists, booleans, ordering and paging', () => {
    const q = select('Customer')
      .where('DisplayName', '=', "O'Brien & Sons")
      .and('Active', 'IN', [true, false])
      .and('Balance', '>', 10)
      .orderBy('Id', 'DESC')
      .startPosition(11)
      .maxResults(10);
    assert.equal(
      q.toString(),
      "SELECT * FROM Customer WHERE DisplayName = 'O\\'Brien & Sons' AND Active IN (true, false) AND Balance > 10 ORDERBY Id DESC STARTPOSITION 11 MAXRESULTS 10",
    );
    assert.equal(q.toCountString(), "SELECT COUNT(*) FROM Customer WHERE DisplayName = 'O\\'Brien & Sons' AND Active IN (true, false) AND Balance > 10");
  });

  void it('is immutable: each step returns a new query', () => {
    const base = select('Item');
    const filtered = base.where('Name', '=', 'A');
    assert.equal(base.toString(), 'SELECT * FROM Item');
    assert.equal(filtered.toString(), "SELECT * FROM Item WHERE Name = 'A'");
  });

  void it('refuses attribute names that are not identifiers, and bad paging', () => {
    assert.throws(() => select('Item').where("Name = 'x' OR 1", '=', 'y'), TypeError);
    assert.throws(() => select('Item').where('Name', 'IN', 'x'), TypeError);
    assert.throws(() => select('Item').where('Name', 'IN', []), TypeError);
    assert.throws(() => select('Item').maxResults(1001), RangeError);
    assert.throws(() => select('Item').startPosition(0), RangeError);
    assert.doesNotThrow(() => select('Invoice').where('MetaData.LastUpdatedTime', '>', '2025-01-01'));
  });

  void it('percent-encodes the statement in the URL (%20 for spaces, %27, %5C, %26, %25)', () => {
    const statement = select('Item').where('Name', '=', "Men's Helmet & 100% \\ é").toString();
    const url = buildUrl({ apiBase: 'http://h', realmId: '123', minorVersion: 75 }, { path: 'query', params: { query: statement } });
    assert.equal(
      url,
      'http://h/v3/company/123/query?query=SELECT%20%2A%20FROM%20Item%20WHERE%20Name%20%3D%20%27Men%5C%27s%20Helmet%20%26%20100%25%20%5C%5C%20%C3%A9%27&minorversion=75',
    );
    assert.equal(new URL(url).searchParams.get('query'), statement);
  });

  void it('puts requestid and minorversion on the URL', () => {
    const url = buildUrl({ apiBase: 'http://h', realmId: '9', minorVersion: 75 }, { path: 'invoice', requestId: 'inv-ACME-1001' });
    assert.equal(url, 'http://h/v3/company/9/invoice?requestid=inv-ACME-1001&minorversion=75');
  });
});
