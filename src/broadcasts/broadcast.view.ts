import { csrfField, layout } from '../staff/views/layout.view';
import { html, type Html } from '../staff/views/html';
import type { StaffUser } from '../staff/staff.types';
import type { BroadcastRow } from './broadcasts.schema';
import type { BroadcastsService } from './broadcasts.service';

type View = Awaited<ReturnType<BroadcastsService['view']>>;

const TOPICS: Record<string, string> = { reparations: 'Réparations', testimony: 'Témoignage' };
const STATUS: Record<string, string> = { draft: 'brouillon', approved: 'approuvée', sending: 'en cours d’envoi', sent: 'envoyée', cancelled: 'annulée' };

function table(rows: Array<[string, unknown]>): Html {
  if (!rows.length) return html`<p class="meta">—</p>`;
  return html`<table>${rows.map(([k, v]) => html`<tr><td>${k}</td><td>${String(v)}</td></tr>`)}</table>`;
}

/** The list and the draft form: one notice and one news text per language (the base language required). */
export function broadcastsPage(opts: { staff: StaffUser; csrf: string; rows: BroadcastRow[]; languages: string[]; base: string }): string {
  const body = html`
<p>Une diffusion annonce du nouveau aux personnes abonnées à un sujet. La <strong>notice</strong> arrive sur son téléphone : elle ne dit que « du nouveau, répondez INFO » (aucun sujet, organisation, réparation, violence, témoignage). La <strong>nouvelle</strong> s’ouvre par INFO dans la conversation. Une autre personne (superviseur ou admin) l’approuve.</p>
<table><tr><th>créée</th><th>sujet</th><th>état</th></tr>
${opts.rows.map((r) => html`<tr><td><a href="/staff/broadcasts/${r.id}">${r.createdAt.toISOString().slice(0, 16).replace('T', ' ')}</a></td><td>${TOPICS[r.topic] ?? r.topic}</td><td>${STATUS[r.status] ?? r.status}</td></tr>`)}
</table>
<h2>Nouvelle diffusion</h2>
<form method="post" action="/staff/broadcasts">${csrfField(opts.csrf)}
<label>Sujet <select name="topic">${Object.entries(TOPICS).map(([k, v]) => html`<option value="${k}">${v}</option>`)}</select></label>
${opts.languages.map(
  (l) => html`<fieldset><legend>${l}${l === opts.base ? ' (obligatoire)' : ''}</legend>
<label>Notice (SMS) <input name="notice_${l}" maxlength="480"></label>
<label>Nouvelle (INFO) <textarea name="news_${l}" rows="3" maxlength="1000"></textarea></label></fieldset>`,
)}
<label>Source de la nouvelle <input name="source" placeholder="domain-facts.md §…"></label>
<label>Envoi à partir de (heure de Bamako, vide : dès l’approbation) <input type="datetime-local" name="sendAt"></label>
<button type="submit">Enregistrer le brouillon</button>
</form>`;
  return layout({ title: 'Diffusions', body, staff: opts.staff, csrf: opts.csrf });
}

/** One broadcast: its texts, the preview, the report, and the approve / cancel forms. */
export function broadcastPage(opts: { staff: StaffUser; csrf: string; view: View }): string {
  const v = opts.view;
  const p = v.preview;
  const own = v.createdBy === opts.staff.id;
  const byLang = Object.entries(p.byLanguageAndChannel).flatMap(([l, byChannel]) => Object.entries(byChannel).map(([c, n]): [string, unknown] => [`${l} · ${c}`, n]));
  const body = html`
<p>Sujet : ${TOPICS[v.topic] ?? v.topic} · état : <strong>${STATUS[v.status] ?? v.status}</strong>${v.selfApproved ? ' · approuvée par la personne qui l’a rédigée' : ''}</p>
<h2>Textes</h2>
${table(Object.entries(v.notice).map(([l, t]): [string, unknown] => [`notice ${l}`, t]))}
${table(Object.entries(v.news).map(([l, t]): [string, unknown] => [`nouvelle ${l} (${v.newsStatus[l] ?? 'draft'})`, t]))}
<p class="meta">Source : ${v.source}</p>
<h2>Aperçu</h2>
<p>${p.recipients} destinataires · ${p.delivery.days ?? '?'} jour(s) d’envoi (budget ${p.delivery.dailyBudgetSegments} segments par jour, ${p.delivery.smsSegmentsPerMinute} segments par minute, ${p.delivery.hours}) · coût estimé ${p.cost.total} ${p.cost.currency}${p.cost.pricesConfigured ? '' : ' (prix non configurés)'}</p>
${table(byLang)}
${table(Object.entries(p.sms).map(([l, s]): [string, unknown] => [`SMS ${l}`, `${s.recipients} × ${s.segments} segment(s), ${s.encoding}${s.noticeLanguage !== l ? `, en ${s.noticeLanguage}` : ''}`]))}
${table(p.fallsBack.map((f): [string, unknown] => [`${f.language} se replie`, `notice : ${f.notice ?? '—'} · nouvelle : ${f.news}`]))}
${table(Object.entries(p.notSent).filter(([, n]) => n > 0))}
${p.oneWayLines.warning ? html`<p class="banner warn">${p.oneWayLines.recipients} sur une ligne à sens unique : ${p.oneWayLines.warning}</p>` : ''}
<h2>Rapport</h2>
${table([['en file', v.report.queued], ['en attente', v.report.waiting], ['envoyés', v.report.sent], ['remis', v.report.delivered], ['échecs', v.report.failed], ['repris', v.report.withdrawn], ...Object.entries(v.report.skipped).map(([k, n]): [string, unknown] => [`non envoyé : ${k}`, n]), [`coût à ce jour (${v.report.currency})`, v.report.costSoFar]])}
${v.status === 'draft' && (!own || !v.twoPerson)
  ? html`<h2>Approuver</h2><form method="post" action="/staff/broadcasts/${v.id}/approve">${csrfField(opts.csrf)}
${own ? html`<label>Vous l’avez rédigée : tapez APPROUVER pour confirmer <input name="confirm" required></label>` : Object.keys(v.news).map((l) => html`<label><input type="checkbox" name="newsReviewed" value="${l}"> J’ai relu la nouvelle en ${l}</label>`)}
<button type="submit">Approuver</button></form>`
  : v.status === 'draft'
    ? html`<p class="meta">Une autre personne (superviseur ou admin) approuve cette diffusion.</p>`
    : ''}
${['draft', 'approved', 'sending'].includes(v.status) ? html`<form method="post" action="/staff/broadcasts/${v.id}/cancel">${csrfField(opts.csrf)}<button type="submit">Annuler la diffusion</button></form>` : ''}`;
  return layout({ title: 'Diffusion', body, staff: opts.staff, csrf: opts.csrf });
}
