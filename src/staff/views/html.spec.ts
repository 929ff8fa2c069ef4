import { html } from './html';
import { windowLabel } from './labels';

describe('staff page templates', () => {
  it('escapes everything a template receives unless it is markup built by the template itself', () => {
    const note = `<script>alert("x")</script> & 'quotes'`;
    const out = html`<p title="${note}">${note}</p>${html`<b>${'safe'}</b>`}${[html`<i>1</i>`, '<i>2</i>']}`.value;
    expect(out).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;</p><b>safe</b><i>1</i>&lt;i&gt;2&lt;/i&gt;',
    );
  });

  it('drops null, undefined and false instead of printing them', () => {
    expect(html`a${null}b${undefined}c${false}d${0}`.value).toBe('abcd0');
  });

  it('writes her safe windows as a caller reads them, in Bamako time', () => {
    expect(windowLabel([{ days: [1, 2, 3, 4, 5], fromMinute: 480, toMinute: 720 }])).toBe('lun–ven 08:00–12:00');
    expect(windowLabel([{ days: [1, 2, 3, 4, 5, 6, 7], fromMinute: 1020, toMinute: 1200 }])).toBe('tous les jours 17:00–20:00');
    expect(windowLabel([{ days: [6, 7], fromMinute: 720, toMinute: 1020 }])).toBe('sam, dim 12:00–17:00');
  });
});
