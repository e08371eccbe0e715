import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { settingsSchema } from '../src/config/schema.ts';

// .env.example is the one list of settings an operator copies: every variable of the schema must be in it.
void test('.env.example names every setting, and only settings', () => {
  const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  const named = [...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
  const settings = Object.keys(settingsSchema.shape);
  assert.deepEqual(settings.filter((s) => !named.includes(s)), [], 'missing from .env.example');
  assert.deepEqual(named.filter((n) => n !== undefined && !settings.includes(n)), [], 'not a setting');
});
