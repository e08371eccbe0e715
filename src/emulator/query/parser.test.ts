import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery, QueryParserError } from './parser.ts';

void describe('QBO query parser', () => {
  void it('parses SELECT * with WHERE, ORDERBY, STARTPOSITION and MAXRESULTS', () => {
    const q = parseQuery("SELECT * FROM Customer WHERE DisplayName = 'Amy' AND Balance > 10 ORDERBY DisplayName DESC, Id STARTPOSITION 11 MAXRESULTS 10");
    assert.equal(q.entity, 'Customer');
    assert.equal(q.count, false);
    assert.deepEqual(q.where, [
      { property: 'DisplayName', op: '=', values: [{ kind: 'string', value: 'Amy' }] },
      { property: 'Balance', op: '>', values: [{ kind: 'number', value: '10' }] },
    ]);
    assert.deepEqual(q.orderBy, [{ property: 'DisplayName', descending: true }, { property: 'Id', descending: false }]);
    assert.equal(q.startPosition, 11);
    assert.equal(q.maxResults, 10);
  });

  void it('is case-insensitive for keywords, as node-quickbooks sends them lower-case', () => {
    const q = parseQuery("select * from item where Name = 'x' orderby Name asc startposition 1 maxresults 1000");
    assert.equal(q.entity, 'item');
    assert.equal(q.maxResults, 1000);
    assert.deepEqual(q.orderBy, [{ property: 'Name', descending: false }]);
  });

  void it("unescapes \\' inside strings and keeps & and % as text", () => {
    const q = parseQuery("select * from item where Name = 'Men\\'s Helmet & 100%'");
    assert.deepEqual(q.where[0]?.values, [{ kind: 'string', value: "Men's Helmet & 100%" }]);
  });

  void it('parses count(*) with pagination clauses', () => {
    const q = parseQuery('select count(*) from customer startposition 1 maxresults 1000');
    assert.equal(q.count, true);
    assert.equal(q.startPosition, 1);
  });

  void it('parses IN lists, booleans, LIKE, <=, >= and dotted properties', () => {
    const q = parseQuery("SELECT * FROM Customer WHERE Id IN ('5', '6') AND Active IN ( true, false ) AND DisplayName LIKE 'A%' AND MetaData.LastUpdatedTime >= '2025-01-01T00:00:00-08:00' AND Balance <= 5");
    assert.deepEqual(q.where.map((c) => c.op), ['IN', 'IN', 'LIKE', '>=', '<=']);
    assert.deepEqual(q.where[1]?.values, [{ kind: 'bool', value: true }, { kind: 'bool', value: false }]);
    assert.equal(q.where[3]?.property, 'MetaData.LastUpdatedTime');
  });

  void it('accepts ORDER BY spelled as two words and CURRENT_DATE', () => {
    const q = parseQuery('SELECT * FROM Invoice WHERE TxnDate <= CURRENT_DATE ORDER BY TxnDate');
    assert.deepEqual(q.where[0]?.values, [{ kind: 'today' }]);
    assert.deepEqual(q.orderBy, [{ property: 'TxnDate', descending: false }]);
  });

  void it('parses a projection list', () => {
    assert.deepEqual(parseQuery('select Id, DisplayName from Customer').projection, ['Id', 'DisplayName']);
  });

  const errors: Array<[string, RegExp]> = [
    ['', /The query provided was empty/],
    ['   ', /The query provided was empty/],
    ["select * from Customer where DisplayName = 'Amy's Bird'", /Encountered .* at line 1, column|Lexical error/],
    ["select * from Customer where DisplayName = 'open", /Lexical error/],
    ["select * from Customer where A = 'x' OR B = 'y'", /Encountered .*OR/],
    ['select * from', /Encountered "<EOF>"/],
    ['select * from Customer where', /Encountered "<EOF>"/],
    ['select * from Customer where Name ~ 1', /Lexical error .* Encountered: "~"/],
    ['delete from Customer', /Encountered/],
    ['select * from Customer maxresults x', /Encountered/],
    ["select * from Customer where Name LIKE 5", /Encountered/],
  ];
  for (const [text, message] of errors) {
    void it(`rejects ${JSON.stringify(text)} with a QueryParserError`, () => {
      assert.throws(() => parseQuery(text), (e: unknown) => e instanceof QueryParserError && message.test(e.message));
    });
  }
});
