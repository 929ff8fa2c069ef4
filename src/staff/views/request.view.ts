import { CALL_OUTCOMES, type CallbackRequest, type OutcomeRecord } from '../../callbacks';
import { mayClaim } from '../request-access';
import { isCaller, isSupervisor } from '../staff-access';
import type { QueueItem } from '../staff-queue.service';
import type { StaffCallPanel } from '../staff-calls.service';
import type { StaffCallRow } from '../staff-calls.schema';
import type { RequestHistoryEntry } from '../staff-requests.service';
import type { StaffUser } from '../staff.types';
import { html, type Html } from './html';
import { dateTime, language, OUTCOME_LABELS, STATUS_LABELS, TOPIC_LABELS, windowLabel } from './labels';
import { csrfField, layout, notice } from './layout.view';

/**
 * A vague message (NNEDV): no organisation, no topic, no reason for the call, nothing a person who
 * hears it on her phone could connect to a request for help.
 */
export const VOICEMAIL_SCRIPT =
  'Bonjour, c’est [votre prénom seulement]. Je vous rappelle comme convenu.\nJe rappellerai plus tard. Bonne journée.';

export interface RequestPageData {
  staff: StaffUser;
  csrf: string;
  request: CallbackRequest;
  item: QueueItem;
  history: { transitions: RequestHistoryEntry[]; outcomes: OutcomeRecord[] };
  names: Map<string, string>;
  colleagues: StaffUser[];
  maxAttempts: number;
  notice?: string;
  /** calls through Sira (absent: not offered). */
  calls?: StaffCallPanel;
}

function safetyBanners(req: CallbackRequest): Html {
  return html`${
    req.voicemailSafe
      ? html`<div class="banner info">Message vocal possible s’il ne répond pas — seulement ce texte, dans sa langue :<div class="script">${VOICEMAIL_SCRIPT}</div></div>`
      : html`<p class="banner warn" role="alert">PAS DE MESSAGE VOCAL. Si personne ne répond, raccrochez sans rien laisser.</p>`
  }
${req.smsSafe ? '' : html`<p class="banner warn">Pas de SMS : n’envoyez aucun message écrit à ce numéro.</p>`}
<div class="banner info">Avant de parler : demandez si elle peut parler maintenant, en sécurité. Si une autre personne répond, ne dites ni qui vous êtes ni pourquoi vous appelez.</div>`;
}

function actions(d: RequestPageData): Html {
  const { request: req, staff, csrf } = d;
  const holds = req.status === 'claimed' && (req.claimedBy === staff.id || isSupervisor(staff));
  const base = `/staff/requests/${req.id}`;
  const takable = req.status === 'pending' && mayClaim(staff, req, d.item.callableNow).ok;
  return html`${takable ? html`<form method="post" action="${base}/claim">${csrfField(csrf)}<button type="submit">Prendre cette demande</button></form>` : ''}
${req.status === 'pending' && !takable ? html`<p class="meta">Pas appelable maintenant (hors de son créneau ou des heures de travail) : elle ne peut pas être prise avant, sauf si un·e responsable vous la confie.</p>` : ''}
${holds ? callForm(d, base) : ''}
${holds ? html`<form method="post" action="${base}/reveal" class="card">${csrfField(csrf)}
  <p class="meta">Le numéro s’affiche peu de temps, et chaque affichage est inscrit au journal.</p>
  <button type="submit">Afficher le numéro</button></form>
${outcomeForm(base, csrf, req.attempt, d.maxAttempts)}
<form method="post" action="${base}/release">${csrfField(csrf)}<button type="submit" class="secondary">Remettre dans la file</button></form>` : ''}
${isSupervisor(staff) && (req.status === 'pending' || req.status === 'claimed') ? reassignForm(base, csrf, d.colleagues) : ''}`;
}

/** "Appeler via Sira": only for the holder herself, only where a voice line is configured. */
function callForm(d: RequestPageData, base: string): Html | string {
  if (!d.calls?.available || d.request.claimedBy !== d.staff.id) return '';
  if (!d.calls.hasPhone) {
    return html`<p class="card meta">Pour l’appeler sans voir son numéro, ajoutez votre téléphone dans <a href="/staff/account">Mon compte</a> : Sira appelle alors votre téléphone, puis elle, depuis le numéro de Sira.</p>`;
  }
  return html`<form method="post" action="${base}/call" class="card">${csrfField(d.csrf)}
  <p class="meta">Votre téléphone sonne. Décrochez : Sira l’appelle depuis le numéro de Sira. Vous ne voyez pas son numéro, elle ne voit pas le vôtre. Le résultat s’inscrit tout seul.</p>
  <button type="submit">Appeler via Sira</button></form>`;
}

const CALL_STATE_LABELS: Record<StaffCallRow['state'], string> = {
  placed: 'votre téléphone sonne',
  bridged: 'en cours',
  finished: 'terminé',
  agent_unreached: 'votre téléphone n’a pas répondu',
  not_placed: 'appel impossible',
  refused: 'annulé (demande plus à vous)',
};

const DIAL_LABELS: Record<string, string> = {
  completed: 'elle a répondu',
  answered: 'elle a répondu',
  busy: 'occupé',
  'no-answer': 'pas de réponse',
  failed: 'échec',
  canceled: 'annulé',
};

function callsTable(d: RequestPageData): Html | string {
  const calls = d.calls?.calls ?? [];
  if (!calls.length) return '';
  return html`<h2>Appels via Sira</h2><div class="scroll"><table><tr><th>Quand</th><th>Qui</th><th>Appel</th><th>Elle</th><th>Durée</th></tr>${calls.map(
    (c) =>
      html`<tr><td>${dateTime(c.createdAt)}</td><td>${d.names.get(c.staffId) ?? 'équipe'}</td><td>${CALL_STATE_LABELS[c.state]}</td><td>${c.dialStatus ? DIAL_LABELS[c.dialStatus] : '—'}</td><td>${c.durationSeconds !== null ? `${c.durationSeconds} s` : '—'}</td></tr>`,
  )}</table></div>`;
}

function outcomeForm(base: string, csrf: string, attempt: number, maxAttempts: number): Html {
  return html`<form method="post" action="${base}/outcome" class="card">${csrfField(csrf)}
  <fieldset><legend>Résultat de l’appel (essai ${attempt} sur ${maxAttempts})</legend>
  ${CALL_OUTCOMES.map((o) => html`<label class="choice"><input type="radio" name="outcome" value="${o}" required> ${OUTCOME_LABELS[o]}</label>`)}
  </fieldset>
  <label for="partOfDay">Si « rappeler à un autre moment » : quand ?</label>
  <div class="row"><select id="partOfDay" name="partOfDay"><option value="">—</option><option value="morning">Matin 8h–12h</option><option value="afternoon">Après-midi 12h–17h</option><option value="evening">Soir 17h–20h</option></select>
  <select name="days" aria-label="Jours"><option value="">—</option><option value="any">Tous les jours</option><option value="weekdays">Lundi–vendredi</option><option value="weekend">Samedi–dimanche</option></select></div>
  <label for="note">Note courte (chiffrée ; pas de détails de son histoire)</label>
  <textarea id="note" name="note" rows="2" maxlength="500"></textarea>
  <p><button type="submit">Enregistrer</button></p>
</form>`;
}

function reassignForm(base: string, csrf: string, colleagues: StaffUser[]): Html {
  return html`<form method="post" action="${base}/reassign" class="card">${csrfField(csrf)}
  <label for="to">Réattribuer à</label>
  <select id="to" name="to" required>${colleagues.filter((c) => c.active && isCaller(c)).map((c) => html`<option value="${c.id}">${c.displayName} (${c.languages.map(language).join(', ')})</option>`)}</select>
  <p><button type="submit" class="secondary">Réattribuer</button></p></form>`;
}

function actorName(actor: string, names: Map<string, string>): string {
  if (actor === 'contact') return 'elle';
  if (actor === 'system') return 'minuterie';
  return names.get(actor.replace(/^staff:/, '')) ?? 'équipe';
}

function historyTable(d: RequestPageData): Html {
  const rows = [
    ...d.history.transitions.map((t) => ({ at: t.at, text: `${t.from ? STATUS_LABELS[t.from] : '—'} → ${STATUS_LABELS[t.to]}`, who: actorName(t.actor, d.names) })),
    ...d.history.outcomes.map((o) => ({ at: o.at, text: `${OUTCOME_LABELS[o.outcome]} (essai ${o.attempt})${o.note ? ` — ${o.note}` : ''}`, who: d.names.get(o.staffId) ?? 'équipe' })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  return html`<div class="scroll"><table><tr><th>Quand</th><th>Quoi</th><th>Qui</th></tr>${rows.map((r) => html`<tr><td>${dateTime(r.at)}</td><td>${r.text}</td><td>${r.who}</td></tr>`)}</table></div>`;
}

export function requestPage(d: RequestPageData): string {
  const { request: req, item } = d;
  return layout({
    title: `Demande ${req.refCode}`,
    staff: d.staff,
    csrf: d.csrf,
    body: html`${notice(d.notice)}
${req.urgent ? html`<p class="banner warn">URGENT : elle a dit ne pas être en sécurité. Appelez seulement dans sa plage horaire.</p>` : ''}
${item.status === 'pending' && !item.callableNow ? html`<p class="banner warn">Hors de sa plage horaire maintenant : prochain moment possible ${dateTime(item.nextCallAt)}.</p>` : ''}
${safetyBanners(req)}
<div class="card">
  <div><strong>Sujet :</strong> ${TOPIC_LABELS[req.topic] ?? req.topic}</div>
  <div><strong>Langue de l’appel :</strong> ${language(req.callLanguage)}</div>
  <div><strong>Plage sûre :</strong> ${windowLabel(req.windows)} (heure de Bamako)</div>
  <div><strong>État :</strong> ${STATUS_LABELS[req.status]}${req.claimedBy ? html` — ${d.names.get(req.claimedBy) ?? '?'}` : ''} · essai ${req.attempt}</div>
  <div><strong>Demandée :</strong> ${dateTime(req.createdAt)} · par ${req.channel === 'sms' ? 'SMS' : req.channel}</div>
</div>
${actions(d)}
${callsTable(d)}
<h2>Historique</h2>
${historyTable(d)}`,
  });
}

/** Her number, on a page that is never cached, hides itself after `seconds`, then leaves. */
export function revealPage(opts: { staff: StaffUser; csrf: string; request: CallbackRequest; number: string; seconds: number }): string {
  const back = `/staff/requests/${opts.request.id}`;
  return layout({
    title: `Numéro — ${opts.request.refCode}`,
    staff: opts.staff,
    csrf: opts.csrf,
    refresh: { seconds: opts.seconds + 2, to: back },
    body: html`<p class="number" aria-live="polite"><a href="tel:${opts.number}">${opts.number}</a></p>
<p class="meta">Ne le notez nulle part. Il disparaît dans ${opts.seconds} secondes.</p>
${opts.request.voicemailSafe ? '' : html`<p class="banner warn">PAS DE MESSAGE VOCAL.</p>`}
<p><a class="button" href="${back}">Retour à la demande</a></p>
<p class="gone banner info">Le numéro est masqué. Affichez-le de nouveau depuis la demande si besoin (inscrit au journal).</p>`,
  });
}
