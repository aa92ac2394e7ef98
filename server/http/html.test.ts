import { agoText, escapeHtml, html, londonTimeText, timeOf } from './html';

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

describe('times on the pages (issue 20: the UK clock, not UTC)', () => {
  it('shows a winter time as GMT and a summer time as BST, with the weekday', () => {
    expect(londonTimeText('2026-12-01T14:05:00Z')).toBe('Tue 1 Dec, 14:05');
    expect(londonTimeText('2026-06-02T14:05:00Z')).toBe('Tue 2 Jun, 15:05');
  });

  it('says how long ago, within the last week only', () => {
    const now = new Date('2026-12-01T14:15:00Z');
    expect(agoText('2026-12-01T14:05:00Z', now)).toBe('10 minutes ago');
    expect(agoText('2026-12-01T14:14:40Z', now)).toBe('this minute');
    expect(agoText('2026-12-01T11:15:00Z', now)).toBe('3 hours ago');
    expect(agoText('2026-11-30T14:15:00Z', now)).toBe('yesterday');
    expect(agoText('2026-11-01T14:15:00Z', now)).toBeUndefined();
  });

  it('keeps the exact instant machine-readable and escapes nothing it should not', () => {
    expect(timeOf('2026-12-01T14:05:00Z', new Date('2026-12-01T14:15:00Z')).toString()).toBe(
      '<time datetime="2026-12-01T14:05:00Z">Tue 1 Dec, 14:05 <span class="ago">(10 minutes ago)</span></time>',
    );
  });
});
