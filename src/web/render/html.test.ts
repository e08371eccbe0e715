import { test } from 'node:test';
import assert from 'node:assert/strict';
import { html } from './html.ts';

void test('html escapes interpolated text and keeps nested templates', () => {
  const name = `O'Brien <script>alert("x")</script> & Sons`;
  const out = html`<p title="${name}">${name} ${html`<b>${1}</b>`} ${[html`<i>a</i>`, '<c>']}${null}${false}</p>`;
  assert.equal(
    out.value,
    '<p title="O&#39;Brien &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons">O&#39;Brien &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons <b>1</b> <i>a</i>&lt;c&gt;</p>',
  );
});
