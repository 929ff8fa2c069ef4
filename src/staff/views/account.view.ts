import type { SessionSummary } from '../staff-sessions.repository';
import type { StaffUser } from '../staff.types';
import { html, Html } from './html';
import { dateTime } from './labels';
import { csrfField, layout, notice } from './layout.view';
import { MIN_PASSWORD_LENGTH } from '../password-policy';

export interface AccountPageOptions {
  staff: StaffUser;
  csrf: string;
  sessions: SessionSummary[];
  currentSessionId: string;
  recoveryCodesLeft: number;
  secondFactorRequired: boolean;
  /** callers only: her own phone for calls through Sira, masked (undefined: none yet); absent for translators. */
  phone?: { masked?: string };
  notice?: string;
  problem?: string;
}

function problemBanner(problem?: string): Html | string {
  return problem ? html`<p class="banner warn" role="alert">${problem}</p>` : '';
}

function sessionRow(s: SessionSummary, csrf: string, current: boolean): Html {
  return html`<tr>
  <td>${dateTime(s.createdAt)}</td><td>${dateTime(s.lastSeenAt)}</td><td>${s.userAgent ?? '—'}</td><td>${s.addressHint ?? '—'}</td>
  <td>${current ? 'cette session' : html`<form method="post" action="/staff/account/sessions/${s.id}/end">${csrfField(csrf)}<button type="submit" class="danger">Fermer</button></form>`}</td>
</tr>`;
}

/** Her own phone, the one a call through Sira rings first: never shown in full, even to her. */
function phoneCard(o: AccountPageOptions): Html | string {
  if (!o.phone) return '';
  return html`<section class="card"><h2>Mon téléphone (appels via Sira)</h2>
<p>${o.phone.masked ? html`Enregistré : <strong>${o.phone.masked}</strong> (chiffré).` : 'Aucun : sans lui, vous ne pouvez pas appeler via Sira.'}</p>
<form method="post" action="/staff/account/phone">${csrfField(o.csrf)}
  <label for="phone">Numéro international, avec l’indicatif (par ex. +223 …) ; laissez vide pour le retirer</label>
  <input id="phone" name="phone" type="tel" autocomplete="off" maxlength="32" inputmode="tel">
  <p><button type="submit">Enregistrer</button></p>
</form></section>`;
}

/** The account page: second factor, password and open sessions of the signed-in staff member. */
export function accountPage(o: AccountPageOptions): string {
  const factor = o.staff.secondFactorEnabled
    ? html`<p>Activée. Codes de secours restants : <strong>${o.recoveryCodesLeft}</strong>.</p>
<p><a href="/staff/account/second-factor">Changer d’application (un code actuel est demandé)</a></p>`
    : html`<p>${o.secondFactorRequired ? 'Obligatoire pour votre rôle : pas encore activée.' : 'Non activée (recommandée).'}</p>
<p><a href="/staff/account/second-factor">Activer la double authentification</a></p>`;
  return layout({
    title: 'Mon compte',
    staff: o.staff,
    csrf: o.csrf,
    body: html`${notice(o.notice)}${problemBanner(o.problem)}
<section class="card"><h2>Double authentification</h2>${factor}</section>
<section class="card"><h2>Mot de passe</h2><p><a href="/staff/account/password">Changer mon mot de passe</a></p></section>
${phoneCard(o)}
<section class="card"><h2>Sessions ouvertes (${o.sessions.length})</h2>
<table><thead><tr><th>Ouverte</th><th>Dernière activité</th><th>Navigateur</th><th>Adresse</th><th></th></tr></thead>
<tbody>${o.sessions.map((s) => sessionRow(s, o.csrf, s.id === o.currentSessionId))}</tbody></table></section>`,
  });
}

export interface EnrolPageOptions {
  staff: StaffUser;
  csrf: string;
  /** the secret in text, for typing into an app. */
  secret: string;
  /** the secret sealed for the form (the server keeps nothing until a code confirms it). */
  sealed: string;
  qrSvg: string;
  /** replacing an enrolled factor needs a code of the current one. */
  replacing: boolean;
  /** shown without the dashboard's menu while enrolment is what sign-in still owes. */
  required: boolean;
  problem?: string;
}

export function enrolPage(o: EnrolPageOptions): string {
  return layout({
    title: 'Double authentification',
    staff: o.required ? undefined : o.staff,
    csrf: o.csrf,
    body: html`${problemBanner(o.problem)}${o.required ? html`<p class="banner info" role="status">Votre rôle demande une double authentification : activez-la pour continuer.</p>` : ''}
<section class="card">
<ol>
<li>Ouvrez une application d’authentification (Aegis, FreeOTP, Google Authenticator…) et scannez ce code :</li>
</ol>
<figure class="qr">${new Html(o.qrSvg)}</figure>
<p>Ou saisissez cette clé : <code id="totp-secret">${o.secret}</code></p>
<form method="post" action="/staff/account/second-factor">${csrfField(o.csrf)}
  <input type="hidden" name="sealed" value="${o.sealed}">
  ${o.replacing ? html`<label for="current">Code de l’application actuelle (ou un code de secours)</label><input id="current" name="current" autocomplete="one-time-code" required maxlength="40">` : ''}
  <label for="code">Code à 6 chiffres affiché par l’application</label>
  <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength="8">
  <p><button type="submit">Activer</button></p>
</form></section>
${o.required ? html`<form method="post" action="/staff/logout">${csrfField(o.csrf)}<button type="submit" class="secondary">Se déconnecter</button></form>` : ''}`,
  });
}

/** Shown once, right after enrolment: the codes are stored only as hashes. */
export function recoveryCodesPage(staff: StaffUser, csrf: string, codes: string[]): string {
  return layout({
    title: 'Codes de secours',
    staff,
    csrf,
    body: html`<p class="banner ok" role="status">Double authentification activée.</p>
<section class="card"><p>Notez ces ${codes.length} codes et gardez-les à l’abri : chacun ouvre une session une seule fois si vous n’avez plus votre téléphone. Ils ne seront plus affichés.</p>
<ul class="codes">${codes.map((c) => html`<li><code>${c}</code></li>`)}</ul>
<p><a href="${staff.role === 'translator' ? '/staff/recordings' : '/staff/queue'}">Continuer</a></p></section>`,
  });
}

export function passwordPage(staff: StaffUser, csrf: string, forced: boolean, problem?: string): string {
  return layout({
    title: 'Changer mon mot de passe',
    staff: forced ? undefined : staff,
    csrf,
    body: html`${problemBanner(problem)}${forced ? html`<p class="banner info" role="status">Votre mot de passe a été réinitialisé : choisissez-en un nouveau pour continuer.</p>` : ''}
<form method="post" action="/staff/account/password" class="card">${csrfField(csrf)}
  <label for="current">Mot de passe actuel</label><input id="current" name="current" type="password" autocomplete="current-password" required>
  <label for="password">Nouveau mot de passe (${MIN_PASSWORD_LENGTH} caractères au moins, pas un mot de passe courant)</label>
  <input id="password" name="password" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}">
  <label for="confirm">Encore une fois</label><input id="confirm" name="confirm" type="password" autocomplete="new-password" required>
  <p><button type="submit">Enregistrer</button></p>
  <p class="meta">Vos autres sessions seront fermées.</p>
</form>
${forced ? html`<form method="post" action="/staff/logout">${csrfField(csrf)}<button type="submit" class="secondary">Se déconnecter</button></form>` : ''}`,
  });
}
