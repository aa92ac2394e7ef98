import { escapeHtml, html } from './html';

describe('html', () => {
  it('escapes every interpolated value, including in attributes', () => {
    const summary = `"<script>alert('x')</script>" & more`;
    expect(html`<p title="${summary}">${summary}</p>`.value).toBe(
      '<p title="&quot;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot; &amp; more">&quot;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot; &amp; more</p>',
    );
  });

  it('keeps nested html, joins arrays and drops undefined, null and false', () => {
    const items = ['<a>', 'b'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${undefined}${null}${false}${0}`.value).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>0');
  });

  it('escapes a plain string once', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });
});
