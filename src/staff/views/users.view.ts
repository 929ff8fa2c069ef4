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

function userCard(u: StaffUser, csrf: string, languages: string[], self: boolean): Html {
  return html`<form method="post" action="/staff/admin/users/${u.id}" class="card">${csrfField(csrf)}
  <strong>${u.displayName}</strong> <span class="meta">${u.email}${u.active ? '' : ' · désactivé'}</span>
  <label for="role-${u.id}">Rôle</label>${roleSelect(`role-${u.id}`, u.role)}
  <label>Langues d’appel</label>${languageChoices(languages, u.languages, u.id)}
  <label for="pw-${u.id}">Nouveau mot de passe (laisser vide pour garder)</label>
  <input id="pw-${u.id}" name="password" type="password" autocomplete="new-password" minlength="12">
  ${self ? '' : html`<label class="choice"><input type="checkbox" name="active" value="true"${u.active ? html` checked` : ''}> Compte actif</label>`}
  <p><button type="submit" class="secondary">Enregistrer</button></p>
</form>`;
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
  <label>Langues d’appel</label>${languageChoices(opts.languages, [], 'new')}
  <p><button type="submit">Créer</button></p>
</form>
<h2>Comptes (${opts.users.length})</h2>
${opts.users.map((u) => userCard(u, opts.csrf, opts.languages, u.id === opts.staff.id))}`,
  });
}
