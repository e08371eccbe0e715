import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../../../test/support/databases.ts';
import { upsertCompany } from '../erp/companies.ts';
import { addUserCompanies, createUser, findUserByEmail, getUser, setCurrentCompany, userCompanies, verifyUser } from './repository.ts';
import { hashPassword, verifyPassword } from './password.ts';

void it('hashes passwords self-describing and salted, and verifies them', async () => {
  const a = await hashPassword('correct horse battery');
  const b = await hashPassword('correct horse battery');
  assert.match(a, /^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
  assert.notEqual(a, b);
  assert.equal(await verifyPassword('correct horse battery', a), true);
  assert.equal(await verifyPassword('correct horse batterY', a), false);
  assert.equal(await verifyPassword('x', 'bcrypt$whatever'), false);
  assert.equal(await verifyPassword('x', 'scrypt$0$8$1$$'), false);
});

describeEachDialect('users', ({ db }) => {
  void it('creates a user with companies, verifies and switches the current company', async () => {
    const k = db().kysely;
    const acme = await upsertCompany(k, { code: 'ACME', name: 'Acme', qbPrimaryCompany: true });
    const beta = await upsertCompany(k, { code: 'BETA', name: 'Beta', qbPrimaryCompany: false });
    const other = await upsertCompany(k, { code: 'OTHER', name: 'Other', qbPrimaryCompany: false });
    const user = await createUser(k, ' Ann@Example.COM ', 'a long password', [acme.id]);
    assert.equal(user.email, 'ann@example.com');
    assert.equal(user.current_company_id, acme.id);
    assert.doesNotMatch(user.password_hash, /a long password/);
    assert.equal((await verifyUser(k, 'ANN@example.com', 'a long password'))?.id, user.id);
    assert.equal(await verifyUser(k, 'ann@example.com', 'wrong password'), null);
    assert.equal(await verifyUser(k, 'nobody@example.com', 'a long password'), null);

    await addUserCompanies(k, user.id, [beta.id, acme.id]);
    assert.deepEqual((await userCompanies(k, user.id)).map((c) => c.code), ['ACME', 'BETA']);
    assert.equal(await setCurrentCompany(k, user.id, other.id), false);
    assert.equal(await setCurrentCompany(k, user.id, beta.id), true);
    assert.equal((await getUser(k, user.id))?.current_company_id, beta.id);
    assert.equal((await findUserByEmail(k, 'ann@example.com'))?.id, user.id);
  });

  void it('rejects bad emails, short passwords and duplicates', async () => {
    const k = db().kysely;
    await assert.rejects(createUser(k, 'not-an-email', 'a long password', []), { code: 'USER_INPUT_INVALID' });
    await assert.rejects(createUser(k, 'bob@example.com', 'short', []), { code: 'USER_INPUT_INVALID' });
    await createUser(k, 'bob@example.com', 'a long password', []);
    await assert.rejects(createUser(k, 'BOB@example.com', 'another password', []));
  });
});
