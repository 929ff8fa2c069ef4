import { html } from './html';
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

export function errorPage(csrf: string, status: number, message: string, signedIn: boolean): string {
  return layout({
    title: status === 403 ? 'Accès refusé' : status === 404 ? 'Introuvable' : 'Impossible',
    csrf,
    body: html`<p class="banner warn" role="alert">${message}</p>
<p><a href="${signedIn ? '/staff/queue' : '/staff/login'}">Retour</a></p>`,
  });
}
