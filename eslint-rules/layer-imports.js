// The layer table of docs/design.md as a lint rule: a file under src/<layer>/ may import only the layers listed
// for it (relative imports are resolved, so `../../store/x.ts` is the store wherever it is written from).
// Options: { root: 'src', layers: { web: ['config', 'store', …] }, typeOnly: { emulator: ['qbo'] }, forbidden: ['test'] }.
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

const inside = (dir, file) => {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : null;
};

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layer table (docs/design.md "Layers")' },
    schema: [{ type: 'object', additionalProperties: true }],
    messages: {
      layer: "src/{{from}} may not import src/{{to}}: {{from}} may import {{allowed}} (docs/design.md \"Layers\").",
      typeOnly: 'src/{{from}} may import only plain types from src/{{to}} (use `import type`).',
      forbidden: 'src/{{from}} may not import {{to}}/: product code never depends on it.',
    },
  },
  create(context) {
    const { root = 'src', layers, typeOnly = {}, forbidden = [] } = context.options[0] ?? {};
    const rootDir = resolve(context.cwd, root);
    const layerOf = (file) => {
      const rel = inside(rootDir, file);
      return rel === null ? null : rel.split(sep)[0];
    };
    const from = layerOf(context.filename);
    if (from === null || !(from in layers)) return {};
    const allowed = layers[from];

    function check(node, source, isType) {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = resolve(dirname(context.filename), source);
      for (const dir of forbidden) {
        if (inside(resolve(context.cwd, dir), target) !== null) {
          context.report({ node, messageId: 'forbidden', data: { from, to: dir } });
          return;
        }
      }
      const to = layerOf(target);
      if (to === null || to === from || allowed.includes(to)) return;
      if (isType && (typeOnly[from] ?? []).includes(to)) return;
      const messageId = (typeOnly[from] ?? []).includes(to) ? 'typeOnly' : 'layer';
      context.report({ node, messageId, data: { from, to, allowed: allowed.length ? allowed.join(', ') : 'nothing' } });
    }

    const typeOnlyImport = (node) =>
      node.importKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));
    return {
      ImportDeclaration: (node) => check(node, node.source.value, typeOnlyImport(node)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node, node.source.value, node.exportKind === 'type'),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value, false),
    };
  },
};
