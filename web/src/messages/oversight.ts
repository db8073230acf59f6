import { catalogue } from '../i18n';

/** The words the oversight screens share. */
export const OVERSIGHT = catalogue(
  {
    none: 'None.',
    showOnce: 'Shown this once only: copy it now. It cannot be shown again.',
    hide: 'I have copied it: hide it',
    waitSeconds: (seconds: number) => `Too many requests: try again in ${seconds} s.`,
  },
  {
    none: 'Aucun.',
    showOnce: 'Affiché cette seule fois : copiez-le maintenant. Il ne pourra plus être affiché.',
    hide: 'Je l’ai copié : le masquer',
    waitSeconds: (seconds: number) => `Trop de demandes : réessayez dans ${seconds} s.`,
  },
);
