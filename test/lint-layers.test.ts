import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

/**
 * The layer table of docs/design.md is enforced by `npm run lint` (eslint.config.js, rule `layers/imports`). These
 * run the project's own lint configuration on imports written against the table and on ones that follow it.
 */
const root = join(import.meta.dirname, '..');
// The probes are not files on disk, so the type-aware parse (which needs the file in the TypeScript project)
// is switched off and only the layer rule runs; its table and options are the project's own.
const eslint = new ESLint({
  cwd: root,
  ruleFilter: ({ ruleId }) => ruleId === 'layers/imports',
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});

async function layerProblems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'layers/imports').map((m) => m.message);
}

void describe('layer lint rule (docs/design.md "Layers")', () => {
  void it('fails an import against the table: qbo may import config only', async () => {
    const problems = await layerProblems('src/qbo/layer-probe.ts', "import { findConnection } from '../store/connections/repository.ts';\nexport const f = findConnection;\n");
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /src\/qbo may not import src\/store: qbo may import config/);
  });

  void it('fails a lower layer reaching up, however the path is written', async () => {
    assert.equal((await layerProblems('src/store/erp/layer-probe.ts', "import { runExport } from '../../export/index.ts';\nexport const f = runExport;\n")).length, 1);
    assert.equal((await layerProblems('src/export/layer-probe.ts', "import { buildApp } from '../web/app.ts';\nexport const f = buildApp;\n")).length, 1);
    assert.equal((await layerProblems('src/config/layer-probe.ts', "import type { Db } from '../store/db.ts';\nexport type D = Db;\n")).length, 1);
  });

  void it('lets the emulator borrow plain types of qbo, but no code', async () => {
    assert.deepEqual(await layerProblems('src/emulator/layer-probe.ts', "import type { QboRef } from '../qbo/entities.ts';\nexport type I = QboRef;\n"), []);
    const code = await layerProblems('src/emulator/layer-probe.ts', "import { select } from '../qbo/query.ts';\nexport const s = select;\n");
    assert.match(code[0] ?? '', /only plain types/);
  });

  void it('keeps product code off test support', async () => {
    const problems = await layerProblems('src/web/layer-probe.ts', "import { scratchSqlite } from '../../test/support/scratch-databases.ts';\nexport const s = scratchSqlite;\n");
    assert.match(problems[0] ?? '', /may not import test\//);
  });

  void it('accepts imports that follow the table', async () => {
    assert.deepEqual(await layerProblems('src/export/layer-probe.ts', "import { getCompany } from '../store/erp/companies.ts';\nimport { select } from '../qbo/query.ts';\nexport const f = [getCompany, select];\n"), []);
    assert.deepEqual(await layerProblems('src/cli/layer-probe.ts', "import { startEmulator } from '../emulator/index.ts';\nexport const f = startEmulator;\n"), []);
  });
});
