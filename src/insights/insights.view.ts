import { Html, html } from '../staff/views/html';
import { layout } from '../staff/views/layout.view';
import type { StaffUser } from '../staff/staff.types';
import type { PeriodKind } from './periods';
import type { InsightSection } from './insights.sections';

export interface InsightsPageData {
  staff: StaffUser;
  csrf: string;
  from: string;
  to: string;
  period: PeriodKind;
  minCell: number;
  settledThrough: string;
  sections: Array<InsightSection & { svg: string }>;
}

const PERIODS: Array<[PeriodKind, string]> = [['day', 'jours'], ['week', 'semaines ISO'], ['month', 'mois']];

/** Charts (SVG drawn on the server), each with its table and CSV link: counts only, small ones hidden. */
export function insightsPage(d: InsightsPageData): string {
  const q = (extra: string) => `from=${d.from}&to=${d.to}&period=${d.period}${extra}`;
  const body = html`
<p class="meta">Des comptes, jamais des personnes : aucun numéro, aucun message, aucun code n’est compté. Un compte sous ${d.minCell} s’affiche « &lt; ${d.minCell} », et d’autres cases sont masquées avec lui pour qu’aucun total ne le révèle. Jours publiés jusqu’au ${d.settledThrough} (un jour est définitif deux jours après sa fin).</p>
<form method="get" action="/staff/insights">
  <label>Du <input type="date" name="from" value="${d.from}"></label>
  <label>au <input type="date" name="to" value="${d.to}"></label>
  <label>par <select name="period">${PERIODS.map(([v, label]) => html`<option value="${v}"${v === d.period ? html` selected` : ''}>${label}</option>`)}</select></label>
  <button type="submit">Afficher</button>
</form>
${d.sections.map((s) => section(s, d.minCell, `/staff/insights/export.csv?${q(`&table=${s.id}`)}`))}`;
  return layout({ title: 'Tendances', staff: d.staff, csrf: d.csrf, body });
}

function section(s: InsightSection & { svg: string }, minCell: number, csv: string): Html {
  return html`<section id="${s.id}">
<h2>${s.title}</h2>
<p class="meta">${s.note}</p>
${s.svg ? html`<figure class="chart">${new Html(s.svg)}</figure>` : html`<p class="meta">Rien de publié sur cette période.</p>`}
<table><tr><th>${s.x}</th>${s.series ? html`<th>${s.series}</th>` : ''}<th>nombre</th></tr>
${s.rows.map((r) => html`<tr><td>${r.x}</td>${s.series ? html`<td>${r.series ?? ''}</td>` : ''}<td>${r.cell.suppressed ? `< ${minCell}` : String(r.cell.count)}</td></tr>`)}
</table>
<p><a href="${csv}">Télécharger (CSV)</a></p>
</section>`;
}
