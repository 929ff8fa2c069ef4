import type { StaffAuditRow } from '../staff.schema';
import type { QueueStats } from '../staff-stats.service';
import type { StaffUser } from '../staff.types';
import { html } from './html';
import { dateTime, language, minutes, OUTCOME_LABELS, STATUS_LABELS } from './labels';
import { layout } from './layout.view';

function counts(record: Record<string, number | string>, label: (k: string) => string) {
  const entries = Object.entries(record);
  if (!entries.length) return html`<p class="meta">—</p>`;
  return html`<table>${entries.map(([k, n]) => html`<tr><td>${label(k)}</td><td>${n}</td></tr>`)}</table>`;
}

/** News topics (src/broadcasts/subscriptions.schema.ts) as staff read them. */
const TOPIC_LABELS: Record<string, string> = { reparations: 'Réparations', testimony: 'Témoignage' };

/** Calls and minutes per day: counts only, no number and no call is kept. */
function voiceCalls(days: Array<{ day: string; calls: number; minutes: number }>) {
  if (!days.length) return html`<p class="meta">—</p>`;
  return html`<table><tr><th>jour</th><th>appels</th><th>minutes</th></tr>${days.map((d) => html`<tr><td>${d.day}</td><td>${d.calls}</td><td>${d.minutes}</td></tr>`)}</table>`;
}

/** 20260115 → 15/01/2026 */
function smsDay(day: string): string {
  return `${day.slice(6, 8)}/${day.slice(4, 6)}/${day.slice(0, 4)}`;
}

/** Who reached the hourly reveal limit (from `reveal_limited` audit rows): one line per staff member. */
export interface RevealAlert {
  staffId: string;
  name: string;
  refusals: number;
  first: Date;
  last: Date;
}

/** Groups `reveal_limited` rows (newest first) by staff member, the most recent first. */
export function revealAlerts(rows: StaffAuditRow[], names: Map<string, string>): RevealAlert[] {
  const by = new Map<string, RevealAlert>();
  for (const r of rows) {
    if (!r.staffId) continue;
    const seen = by.get(r.staffId);
    if (seen) {
      seen.refusals++;
      if (r.at < seen.first) seen.first = r.at;
      if (r.at > seen.last) seen.last = r.at;
    } else by.set(r.staffId, { staffId: r.staffId, name: names.get(r.staffId) ?? '?', refusals: 1, first: r.at, last: r.at });
  }
  return [...by.values()].sort((a, b) => b.last.getTime() - a.last.getTime());
}

function revealAlertSection(alerts: RevealAlert[]) {
  if (!alerts.length) return html`<h2>Limite d’affichage des numéros atteinte (24 h)</h2><p class="meta">Personne.</p>`;
  return html`<div class="banner warn" role="alert"><h2>Limite d’affichage des numéros atteinte (24 h)</h2>
<p>Ces comptes ont affiché plus de numéros en une heure que la limite ne le permet : les affichages suivants ont été refusés. Vérifiez avec la personne (et au journal) que c’était bien son travail.</p>
<table><tr><th>Qui</th><th>Refus</th><th>Premier</th><th>Dernier</th></tr>${alerts.map(
    (a) => html`<tr><td>${a.name}</td><td>${a.refusals}</td><td>${dateTime(a.first)}</td><td>${dateTime(a.last)}</td></tr>`,
  )}</table></div>`;
}

export function supervisionPage(opts: { staff: StaffUser; csrf: string; stats: QueueStats; revealLimited?: RevealAlert[] }): string {
  const { waiting } = opts.stats;
  return layout({
    title: 'Suivi',
    staff: opts.staff,
    csrf: opts.csrf,
    body: html`${revealAlertSection(opts.revealLimited ?? [])}
<div class="card">
  <div><strong>En attente :</strong> ${waiting.total} (urgentes : ${waiting.urgent}, appelables maintenant : ${waiting.callableNow})</div>
  <div><strong>Attente la plus longue :</strong> ${minutes(waiting.oldestMinutes)} · <strong>médiane :</strong> ${minutes(waiting.medianMinutes)}</div>
</div>
<h2>En attente par langue</h2>${counts(waiting.byLanguage, language)}
<h2>Prises en ce moment</h2>
${opts.stats.heldBy.length ? html`<table>${opts.stats.heldBy.map((h) => html`<tr><td>${h.name}</td><td>${h.count}</td></tr>`)}</table>` : html`<p class="meta">—</p>`}
<h2>Toutes les demandes par état</h2>${counts(opts.stats.byStatus, (s) => STATUS_LABELS[s] ?? s)}
<h2>Fermées ces 7 derniers jours</h2>${counts(opts.stats.closedLastWeek, (s) => STATUS_LABELS[s] ?? s)}
<h2>SMS : personnes arrêtées par la limite par numéro (7 jours)</h2>${counts(Object.fromEntries(opts.stats.smsCappedContacts.map((d) => [smsDay(d.day), d.contacts])), (d) => d)}
<h2>Appels téléphoniques terminés (7 jours)</h2>${voiceCalls(opts.stats.voiceCalls)}
${opts.stats.subscribers ? html`<h2>Abonnements aux nouvelles en cours</h2>${counts(opts.stats.subscribers, (t) => TOPIC_LABELS[t] ?? t)}` : ''}
<p><a class="button" href="/staff/export/requests.csv">Exporter la file (CSV, sans numéros)</a></p>
<p><a href="/staff/audit">Journal des actions</a></p>`,
  });
}

const ACTION_LABELS: Record<string, string> = {
  login: 'connexion',
  login_failed: 'connexion refusée',
  logout: 'déconnexion',
  claim: 'prise',
  release: 'remise dans la file',
  reveal: 'NUMÉRO AFFICHÉ',
  reveal_limited: 'LIMITE D’AFFICHAGE ATTEINTE (refusé)',
  outcome: 'résultat',
  reassign: 'réattribution',
  export: 'EXPORT',
  user_created: 'compte créé',
  user_updated: 'compte modifié',
  first_admin_created: 'premier admin créé',
  contact_erased: 'contact effacé (à sa demande)',
};

function detail(row: StaffAuditRow, names: Map<string, string>): string {
  const d = row.detail;
  if (row.action === 'outcome') return `${OUTCOME_LABELS[String(d.outcome)] ?? d.outcome} → ${STATUS_LABELS[String(d.status)] ?? d.status}`;
  if (row.action === 'reassign') return `à ${names.get(String(d.to)) ?? '?'}`;
  return Object.entries(d)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
}

export function auditPage(opts: { staff: StaffUser; csrf: string; rows: StaffAuditRow[]; names: Map<string, string>; refs: Map<string, string> }): string {
  return layout({
    title: 'Journal des actions',
    staff: opts.staff,
    csrf: opts.csrf,
    body: html`<p class="meta">Chaque affichage d’un numéro et chaque export y est inscrit. Les 200 dernières actions.</p>
<div class="scroll"><table><tr><th>Quand</th><th>Qui</th><th>Action</th><th>Demande</th><th>Détail</th></tr>
${opts.rows.map(
  (r) => html`<tr><td>${dateTime(r.at)}</td><td>${r.staffId ? (opts.names.get(r.staffId) ?? '?') : '—'}</td><td>${ACTION_LABELS[r.action] ?? r.action}</td><td>${
    r.requestId ? html`<a href="/staff/requests/${r.requestId}">${opts.refs.get(r.requestId) ?? 'effacée'}</a>` : ''
  }</td><td>${detail(r, opts.names)}</td></tr>`,
)}</table></div>`,
  });
}
