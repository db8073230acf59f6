import { catalogue } from '../i18n';

/** Words shared by every screen: loading, paging, badges (why a request failed is in problems.ts). */
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
  },
);
