import { STAFF_ROLES } from '../staff.schema';
import type { StaffUser } from '../staff.types';
import { html, type Html } from './html';
import { language, ROLE_LABELS } from './labels';
import { csrfField, layout, notice } from './layout.view';

function roleSelect(id: string, current?: string): Html {
  return html`<select id="${id}" name="role">${STAFF_ROLES.map((r) => html`<option value="${r}"${r === current ? html` selected` : ''}>${ROLE_LABELS[r]}</option>`)}</select>`;
}

function languageChoices(languages: string[], selected: string[], prefix: string): Html {
  return html`<div class="row">${languages.map(
    (l) => html`<label class="choice"><input type="checkbox" name="languages" value="${l}" id="${prefix}-${l}"${selected.includes(l) ? html` checked` : ''}> ${language(l)}</label>`,
  )}</div>`;
}

/** An admin's own card changes only her languages: role, activity and password are for another admin or her account page. */
function userCard(u: StaffUser, csrf: string, languages: string[], self: boolean): Html {
  return html`<div class="card"><form method="post" action="/staff/admin/users/${u.id}">${csrfField(csrf)}
  <strong>${u.displayName}</strong> <span class="meta">${u.email}${u.active ? '' : ' · désactivé'} · double authentification : ${u.secondFactorEnabled ? 'activée' : 'non activée'}${u.passwordChangeRequired ? ' · mot de passe à changer' : ''}</span>
  ${self ? html`<input type="hidden" name="role" value="${u.role}"><input type="hidden" name="active" value="true">` : html`<label for="role-${u.id}">Rôle</label>${roleSelect(`role-${u.id}`, u.role)}`}
  <label>Langues (d’appel ; à enregistrer pour un·e traducteur·rice)</label>${languageChoices(languages, u.languages, u.id)}
  ${self ? html`<p class="meta">Votre mot de passe et votre double authentification se changent dans <a href="/staff/account">Mon compte</a>.</p>` : html`<label for="pw-${u.id}">Réinitialiser le mot de passe (laisser vide pour garder ; à changer à la prochaine connexion)</label>
  <input id="pw-${u.id}" name="password" type="password" autocomplete="new-password" minlength="12">
  <label class="choice"><input type="checkbox" name="active" value="true"${u.active ? html` checked` : ''}> Compte actif</label>`}
  <p><button type="submit" class="secondary">Enregistrer</button></p>
</form>
${self ? '' : html`<div class="row">${u.secondFactorEnabled ? html`<form method="post" action="/staff/admin/users/${u.id}/second-factor/reset">${csrfField(csrf)}<button type="submit" class="danger">Réinitialiser la double authentification</button></form>` : ''}
<form method="post" action="/staff/admin/users/${u.id}/sessions/end">${csrfField(csrf)}<button type="submit" class="danger">Fermer toutes ses sessions</button></form></div>`}</div>`;
}

/** Admins: staff accounts, their role and the languages they call in. */
export function usersPage(opts: { staff: StaffUser; csrf: string; users: StaffUser[]; languages: string[]; problem?: string; notice?: string }): string {
  return layout({
    title: 'Équipe',
    staff: opts.staff,
    csrf: opts.csrf,
    body: html`${notice(opts.notice)}${opts.problem ? html`<p class="banner warn" role="alert">${opts.problem}</p>` : ''}
<form method="post" action="/staff/admin/users" class="card">${csrfField(opts.csrf)}
  <h2>Nouveau compte</h2>
  <label for="new-name">Nom affiché</label><input id="new-name" name="displayName" required maxlength="80">
  <label for="new-email">E-mail</label><input id="new-email" name="email" type="email" required>
  <label for="new-password">Mot de passe (12 caractères au moins)</label><input id="new-password" name="password" type="password" autocomplete="new-password" required minlength="12">
  <label for="new-role">Rôle</label>${roleSelect('new-role', 'agent')}
  <label>Langues (d’appel ; à enregistrer pour un·e traducteur·rice)</label>${languageChoices(opts.languages, [], 'new')}
  <p><button type="submit">Créer</button></p>
</form>
<h2>Comptes (${opts.users.length})</h2>
${opts.users.map((u) => userCard(u, opts.csrf, opts.languages, u.id === opts.staff.id))}`,
  });
}
