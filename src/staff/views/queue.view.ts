import type { QueueItem } from '../staff-queue.service';
import type { StaffUser } from '../staff.types';
import { html, type Html } from './html';
import { dateTime, language, minutes, STATUS_LABELS, TOPIC_LABELS, windowLabel } from './labels';
import { csrfField, layout, notice } from './layout.view';

function itemCard(item: QueueItem, names: Map<string, string>): Html {
  const when = item.callableNow
    ? html`<span class="tag now">à appeler maintenant</span>`
    : html`<span class="tag later">${item.status === 'no_answer' ? 'nouvel essai' : 'possible'} ${dateTime(item.nextCallAt)}</span>`;
  return html`<div class="card">
  ${item.urgent ? html`<span class="tag urgent">URGENT</span>` : ''}${item.status === 'pending' ? when : ''}
  <a class="title" href="/staff/requests/${item.id}">${item.refCode} · ${TOPIC_LABELS[item.topic] ?? item.topic}</a>
  <div class="meta">Langue : ${language(item.callLanguage)} · Plage : ${windowLabel(item.windows)}</div>
  <div class="meta">${STATUS_LABELS[item.status]}${item.status === 'claimed' ? html` par ${names.get(item.claimedBy ?? '') ?? '?'}` : ''}${
    item.status === 'no_answer' ? html` ${dateTime(item.nextCallAt)}` : ''
  } · essai ${item.attempt} · attend depuis ${minutes(item.waitingMinutes)}</div>
</div>`;
}

function section(title: string, items: QueueItem[], names: Map<string, string>): Html | string {
  if (!items.length) return '';
  return html`<h2>${title} (${items.length})</h2>${items.map((i) => itemCard(i, names))}`;
}

/** The queue: "take next" first, then her requests grouped by what can be done now. Never a number. */
export function queuePage(opts: { staff: StaffUser; csrf: string; items: QueueItem[]; names: Map<string, string>; notice?: string }): string {
  const { items, staff, names } = opts;
  const mine = items.filter((i) => i.status === 'claimed' && i.claimedBy === staff.id);
  const others = items.filter((i) => i.status === 'claimed' && i.claimedBy !== staff.id);
  const waiting = items.filter((i) => i.status === 'pending');
  const retry = items.filter((i) => i.status === 'no_answer');
  return layout({
    title: 'File d’attente',
    staff,
    csrf: opts.csrf,
    body: html`${notice(opts.notice)}
<form method="post" action="/staff/queue/take-next" class="row">
  ${csrfField(opts.csrf)}
  <button type="submit">Prendre la suivante</button>
  <span class="meta">Langues : ${staff.languages.map(language).join(', ') || 'aucune (voir un·e admin)'}</span>
</form>
${section('Mes demandes en cours', mine, names)}
${section('En attente', waiting, names)}
${waiting.length ? '' : html`<p class="meta">Aucune demande en attente.</p>`}
${section('Nouvel essai prévu', retry, names)}
${section('Prises par d’autres', others, names)}`,
  });
}
