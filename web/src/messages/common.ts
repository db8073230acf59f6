import { catalogue } from '../i18n';

/** Words shared by every screen: loading, paging, badges, and why a request failed. */
export const COMMON = catalogue(
  {
    loading: 'Loading…',
    reload: 'Reload',
    pages: 'Pages',
    previousPage: 'Previous page',
    nextPage: 'Next page',
    onHold: 'On hold',
    overdue: 'Overdue',
    anotherAgency: 'Another agency',
    connectionLost: 'The connection was lost: the action was not sent. What you typed is kept; try again.',
    sessionEnded: 'Your session has ended. Please sign in again.',
    forbidden: 'Your role does not allow this.',
    notFound: 'Not found, or not shared with your agency.',
    changedMeanwhile: (detail: string | undefined) =>
      `Someone else changed this in the meantime${detail ? ` (${detail})` : ''}. Reload to see the latest.`,
    tooMany: 'Too many requests just now. Please wait a moment before trying again.',
    answered: (status: number) => `The service answered ${status}.`,
  },
  {
    loading: 'Chargement…',
    reload: 'Actualiser',
    pages: 'Pages',
    previousPage: 'Page précédente',
    nextPage: 'Page suivante',
    onHold: 'En attente',
    overdue: 'En retard',
    anotherAgency: 'Une autre organisation',
    connectionLost: 'La connexion a été perdue : l’action n’a pas été envoyée. Ce que vous avez saisi est conservé ; réessayez.',
    sessionEnded: 'Votre session a pris fin. Veuillez vous reconnecter.',
    forbidden: 'Votre rôle ne permet pas cette action.',
    notFound: 'Introuvable, ou non partagé avec votre organisation.',
    // The API's detail stays as it sends it (in English).
    changedMeanwhile: (detail: string | undefined) =>
      `Quelqu’un d’autre a modifié ceci entre-temps${detail ? ` (${detail})` : ''}. Actualisez pour voir la dernière version.`,
    tooMany: 'Trop de demandes en ce moment. Veuillez patienter un instant avant de réessayer.',
    answered: (status: number) => `Le service a répondu ${status}.`,
  },
);
