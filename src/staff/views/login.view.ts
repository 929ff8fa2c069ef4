import { html } from './html';
import type { StaffUser } from '../staff.types';
import { csrfField, layout } from './layout.view';

export function loginPage(csrf: string, problem?: string, email = ''): string {
  return layout({
    title: 'Connexion',
    csrf,
    body: html`${problem ? html`<p class="banner warn" role="alert">${problem}</p>` : ''}
<form method="post" action="/staff/login" class="card">
  ${csrfField(csrf)}
  <label for="email">E-mail</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="${email}">
  <label for="password">Mot de passe</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <p><button type="submit">Se connecter</button></p>
</form>`,
  });
}

/** The second step of sign-in: the authenticator app's code, or one recovery code. */
export function codePage(csrf: string, staff: StaffUser, problem?: string): string {
  return layout({
    title: 'Code de connexion',
    csrf,
    body: html`${problem ? html`<p class="banner warn" role="alert">${problem}</p>` : ''}
<form method="post" action="/staff/login/code" class="card">
  ${csrfField(csrf)}
  <p>${staff.displayName} : ouvrez votre application d’authentification et saisissez le code à 6 chiffres.</p>
  <label for="code">Code (ou un code de secours)</label>
  <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength="40" autofocus>
  <p><button type="submit">Valider</button></p>
</form>
<form method="post" action="/staff/logout">${csrfField(csrf)}<button type="submit" class="secondary">Annuler</button></form>`,
  });
}

/** `home`: the signed-in person's own first page (a translator's is the recordings page), or null. */
export function errorPage(csrf: string, status: number, message: string, home: string | null): string {
  return layout({
    title: status === 403 ? 'Accès refusé' : status === 404 ? 'Introuvable' : 'Impossible',
    csrf,
    body: html`<p class="banner warn" role="alert">${message}</p>
<p><a href="${home ?? '/staff/login'}">Retour</a></p>`,
  });
}
