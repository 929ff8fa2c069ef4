import { CALLBACK_TIME_ZONE, type CallWindow } from '../../callbacks';

/** The dashboard speaks French, Mali's working language (domain facts §5). */
export const TOPIC_LABELS: Record<string, string> = {
  reparations: 'Réparations',
  testimony: 'Témoignage',
  legal: 'Aide juridique',
  other: 'Autre',
  safety: 'Sécurité — urgent',
};

export const LANGUAGE_LABELS: Record<string, string> = {
  fr: 'Français',
  bm: 'Bambara',
  en: 'Anglais',
  ff: 'Fulfulde',
  ses: 'Songhay',
  taq: 'Tamasheq',
};

export const STATUS_LABELS: Record<string, string> = {
  pending: 'En attente',
  claimed: 'Prise',
  no_answer: 'Pas de réponse — nouvel essai prévu',
  completed: 'Terminée (jointe)',
  cancelled: 'Annulée',
  unreachable: 'Fermée — injoignable',
  erased: 'Effacée',
};

export const OUTCOME_LABELS: Record<string, string> = {
  reached: 'Jointe',
  no_answer: 'Pas de réponse',
  wrong_number: 'Mauvais numéro',
  asked_to_stop: 'Elle demande d’arrêter',
  rescheduled: 'Rappeler à un autre moment',
};

export const ROLE_LABELS: Record<string, string> = { agent: 'Agent', supervisor: 'Superviseur·e', admin: 'Admin', translator: 'Traducteur·rice' };

const DAY_NAMES = ['lun', 'mar', 'mer', 'jeu', 'ven', 'sam', 'dim'];

export function language(code: string): string {
  return LANGUAGE_LABELS[code] ?? code;
}

function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

function days(list: number[]): string {
  const sorted = [...list].sort();
  if (sorted.length === 7) return 'tous les jours';
  const contiguous = sorted.every((d, i) => i === 0 || d === sorted[i - 1] + 1);
  if (contiguous && sorted.length > 2) return `${DAY_NAMES[sorted[0] - 1]}–${DAY_NAMES[sorted[sorted.length - 1] - 1]}`;
  return sorted.map((d) => DAY_NAMES[d - 1]).join(', ');
}

/** "lun–ven 08:00–12:00" (heure de Bamako). */
export function windowLabel(windows: CallWindow[]): string {
  return windows.map((w) => `${days(w.days)} ${hhmm(w.fromMinute)}–${hhmm(w.toMinute)}`).join(' ; ');
}

const DATE_TIME = new Intl.DateTimeFormat('fr-FR', {
  timeZone: CALLBACK_TIME_ZONE,
  weekday: 'short',
  day: '2-digit',
  month: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

export function dateTime(date: Date | null | undefined): string {
  return date ? DATE_TIME.format(date) : '—';
}

export function minutes(total: number | null): string {
  if (total === null) return '—';
  if (total < 60) return `${total} min`;
  if (total < 48 * 60) return `${Math.floor(total / 60)} h ${total % 60} min`;
  return `${Math.floor(total / 1440)} j`;
}
