import { REVIEW_LEVELS, type ReviewLevel } from '../../content/review-status';
import { audioPath } from '../../recordings/recordings.service';
import type { AudioCoverage, KeyRecording } from '../../recordings/recording-library';
import { CSRF_FIELD } from '../staff-csrf';
import type { StaffUser } from '../staff.types';
import { html, type Html } from './html';
import { dateTime, language } from './labels';
import { csrfField, layout } from './layout.view';

export const REVIEW_LABELS: Record<ReviewLevel, string> = { draft: 'Brouillon', reviewed: 'Relu', legal: 'Vérifié (juriste)' };

const STATE_LABELS: Record<KeyRecording['state'], string> = { recorded: 'Enregistré', stale: 'PÉRIMÉ — le texte a changé', missing: 'À enregistrer' };

/** Messages a redirect of the recordings pages may ask for, by code (never text taken from the URL). */
const RECORDING_NOTICES: Record<string, string> = {
  added: 'Enregistrement ajouté (brouillon : une autre personne de la langue le relit).',
  replaced: 'Enregistrement remplacé (il repasse en brouillon).',
  unchanged: 'Ce fichier est déjà l’enregistrement de ce texte : rien n’a changé.',
  reviewed: 'Statut enregistré.',
};

/** `/staff/recordings`: the languages this account records, with what is done and what is left. */
export function recordingsOverviewPage(opts: { staff: StaffUser; csrf: string; coverage: AudioCoverage[] }): string {
  return layout({
    title: 'Enregistrements',
    staff: opts.staff,
    csrf: opts.csrf,
    body: html`<p class="meta">Les textes de Sira lus à voix haute, par langue. Enregistrez-vous avec le téléphone (le bouton ouvre l’enregistreur), puis une autre personne de la langue relit.</p>
${
  opts.coverage.length
    ? html`<div class="scroll"><table>
<thead><tr><th>Langue</th><th>Enregistrés</th><th>Périmés</th><th>Manquants</th><th>Minutes</th></tr></thead>
<tbody>${opts.coverage.map(
        (c) => html`<tr data-language="${c.language}"><td><a href="/staff/recordings/${c.language}">${language(c.language)}</a></td><td>${c.recorded}/${c.total}</td><td>${c.stale}</td><td>${c.missing}</td><td>${c.minutes.toFixed(1)}</td></tr>`,
      )}</tbody>
</table></div>`
    : html`<p class="banner info" role="status">Aucune langue ne vous est attribuée : un·e admin choisit vos langues dans « Équipe ».</p>`
}`,
  });
}

export interface LanguageRecordingsView {
  staff: StaffUser;
  csrf: string;
  language: string;
  entries: KeyRecording[];
  toRecord: KeyRecording[];
  coverage: AudioCoverage;
  /** a code of RECORDING_NOTICES (after a redirect). */
  notice?: string;
  /** a refusal to show (the page is answered again with its status). */
  problem?: string;
}

function player(entry: KeyRecording): Html | string {
  if (!entry.recording) return '';
  return html`<audio controls preload="none" src="${audioPath(entry.recording.phoneSha256, 'mp3')}"></audio>`;
}

function recordingMeta(entry: KeyRecording): Html | string {
  const r = entry.recording;
  if (!r) return '';
  return html`<p class="meta">${(r.durationMs / 1000).toFixed(1)} s · enregistré par ${r.recordedBy} · ${dateTime(r.updatedAt)} · statut : <strong data-status="${r.status}">${REVIEW_LABELS[r.status]}</strong>${r.reviewedBy ? html` (par ${r.reviewedBy}, ${r.reviewedOn ?? ''})` : ''}</p>
${entry.state === 'stale' ? html`<p class="meta">Texte enregistré : « ${r.text} »</p>` : ''}`;
}

/** One upload form per key: on an Android phone, `capture` opens the recorder (no script). */
function uploadForm(lng: string, entry: KeyRecording, csrf: string): Html {
  const id = `f-${entry.key}`;
  return html`<form method="post" enctype="multipart/form-data" action="/staff/recordings/${lng}/upload?${CSRF_FIELD}=${encodeURIComponent(csrf)}">
  <input type="hidden" name="key" value="${entry.key}">
  <label for="${id}">${entry.recording ? 'Enregistrer à nouveau' : 'Enregistrer'} (fichier audio)</label>
  <input id="${id}" type="file" name="audio" accept="audio/*" capture required>
  <p><button type="submit">Envoyer</button></p>
</form>`;
}

function reviewForm(lng: string, entry: KeyRecording, csrf: string, staff: StaffUser): Html | string {
  const r = entry.recording;
  if (!r) return '';
  // nobody reviews her own take (the server refuses it too)
  if (r.recordedBy === staff.displayName) return html`<p class="meta">Vous avez enregistré ce texte : une autre personne de la langue le relit.</p>`;
  const id = `s-${entry.key}`;
  return html`<form method="post" action="/staff/recordings/${lng}/status">${csrfField(csrf)}
  <input type="hidden" name="key" value="${entry.key}">
  <label for="${id}">Statut (relu par ${staff.displayName})</label>
  <select id="${id}" name="status">${REVIEW_LEVELS.map((l) => html`<option value="${l}"${l === r.status ? html` selected` : ''}>${REVIEW_LABELS[l]}</option>`)}</select>
  <p><button type="submit" class="secondary">Enregistrer le statut</button></p>
</form>`;
}

function keyCard(v: LanguageRecordingsView, entry: KeyRecording): Html {
  return html`<section class="card" id="k-${entry.key}" data-key="${entry.key}" data-state="${entry.state}">
  <p><strong>${entry.key}</strong> <span class="tag ${entry.state === 'recorded' ? 'now' : entry.state === 'stale' ? 'urgent' : 'later'}">${STATE_LABELS[entry.state]}</span></p>
  <p class="meta">Français : ${entry.baseText}</p>
  <p lang="${v.language}">${entry.text}</p>
  ${recordingMeta(entry)}
  ${player(entry)}
  ${uploadForm(v.language, entry, v.csrf)}
  ${reviewForm(v.language, entry, v.csrf, v.staff)}
</section>`;
}

/** `/staff/recordings/:lng`: what still needs recording (stalest first), then every key. */
export function languageRecordingsPage(v: LanguageRecordingsView): string {
  const c = v.coverage;
  const notice = v.notice ? RECORDING_NOTICES[v.notice] : undefined;
  return layout({
    title: `Enregistrements — ${language(v.language)}`,
    staff: v.staff,
    csrf: v.csrf,
    body: html`${notice ? html`<p class="banner ok" role="status">${notice}</p>` : ''}${v.problem ? html`<p class="banner warn" role="alert">${v.problem}</p>` : ''}
<p class="meta">${c.recorded}/${c.total} enregistrés · ${c.stale} périmés · ${c.missing} manquants · ${c.minutes.toFixed(1)} min · <a href="/staff/recordings">toutes les langues</a></p>
<h2>À enregistrer (${v.toRecord.length})</h2>
${
  v.toRecord.length
    ? html`<ol class="to-record">${v.toRecord.map((e) => html`<li><a href="#k-${e.key}">${e.key}</a> — ${STATE_LABELS[e.state]}</li>`)}</ol>`
    : html`<p class="banner ok">Tout est enregistré.</p>`
}
<h2>Tous les textes (${v.entries.length})</h2>
${v.entries.map((e) => keyCard(v, e))}`,
  });
}
