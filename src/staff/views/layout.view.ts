import { isCaller, isSupervisor, RECORDERS } from '../staff-access';
import type { StaffUser } from '../staff.types';
import { CSRF_FIELD } from '../staff-csrf';
import { html, type Html } from './html';
import { ROLE_LABELS } from './labels';

export interface PageOptions {
  title: string;
  body: Html;
  staff?: StaffUser;
  csrf: string;
  /** seconds after which the browser goes to `refreshTo` (the reveal page leaves by itself). */
  refresh?: { seconds: number; to: string };
}

/** A hidden CSRF field for a form of this page. */
export function csrfField(token: string): Html {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;
}

function nav(staff: StaffUser, csrf: string): Html {
  return html`<header>
  ${isCaller(staff) ? html`<a href="/staff/queue">File d’attente</a>` : ''}
  ${isSupervisor(staff) ? html`<a href="/staff/supervision">Suivi</a><a href="/staff/insights">Tendances</a><a href="/staff/broadcasts">Diffusions</a><a href="/staff/audit">Journal</a>` : ''}
  ${staff.role === 'admin' ? html`<a href="/staff/admin/users">Équipe</a><a href="/staff/queues">Tâches</a>` : ''}
  ${RECORDERS.includes(staff.role) ? html`<a href="/staff/recordings">Enregistrements</a>` : ''}
  <a class="who" href="/staff/account">${staff.displayName} · ${ROLE_LABELS[staff.role]}</a>
  <form method="post" action="/staff/logout">${csrfField(csrf)}<button type="submit">Déconnexion</button></form>
</header>`;
}

/** The page shell: no script, one cached stylesheet, nothing from another origin. */
export function layout(opts: PageOptions): string {
  return html`<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
${opts.refresh ? html`<meta http-equiv="refresh" content="${opts.refresh.seconds};url=${opts.refresh.to}">` : ''}
<title>${opts.title} · Sira</title>
<link rel="stylesheet" href="/staff/assets/staff.css">
</head>
<body>
${opts.staff ? nav(opts.staff, opts.csrf) : html`<header><strong>Sira — équipe</strong></header>`}
<main>
<h1>${opts.title}</h1>
${opts.body}
</main>
</body>
</html>`.value;
}

/** Messages a redirect may ask a page to show, by code (never text taken from the URL). */
export const NOTICES: Record<string, { kind: 'ok' | 'info' | 'warn'; text: string }> = {
  empty: { kind: 'info', text: 'Personne à appeler maintenant dans vos langues : aucune demande dans sa plage horaire.' },
  holding: { kind: 'info', text: 'Vous avez déjà une demande en cours : terminez-la d’abord.' },
  claimed: { kind: 'ok', text: 'Demande prise. Elle revient dans la file si elle n’est pas traitée à temps.' },
  released: { kind: 'ok', text: 'Demande remise dans la file.' },
  recorded: { kind: 'ok', text: 'Résultat enregistré.' },
  recorded_sms: { kind: 'ok', text: 'Résultat enregistré. Un SMS neutre (sa référence) lui est envoyé.' },
  reassigned: { kind: 'ok', text: 'Demande réattribuée.' },
  saved: { kind: 'ok', text: 'Enregistré.' },
  password_changed: { kind: 'ok', text: 'Mot de passe changé. Vos autres sessions sont fermées.' },
  session_ended: { kind: 'ok', text: 'Session fermée.' },
  factor_reset: { kind: 'ok', text: 'Double authentification réinitialisée : la personne l’activera à sa prochaine connexion.' },
  sessions_ended: { kind: 'ok', text: 'Toutes les sessions de ce compte sont fermées.' },
  calling: { kind: 'ok', text: 'Sira appelle votre téléphone. Décrochez : Sira appelle ensuite la personne depuis son propre numéro. Le résultat s’inscrit tout seul.' },
  phone_saved: { kind: 'ok', text: 'Téléphone enregistré (chiffré). C’est lui qui sonne quand vous appelez via Sira.' },
  phone_removed: { kind: 'ok', text: 'Téléphone retiré.' },
};

export function notice(code: string | undefined): Html | string {
  const n = code ? NOTICES[code] : undefined;
  return n ? html`<p class="banner ${n.kind}" role="status">${n.text}</p>` : '';
}
