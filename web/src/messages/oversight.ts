import { catalogue } from '../i18n';

/** The oversight screens' navigation and the words they share. */
export const OVERSIGHT = catalogue(
  {
    approvals: 'Approvals',
    myServices: 'My services',
    users: 'Users',
    apiKeys: 'Partner API keys',
    agencies: 'Member agencies',
    directory: 'Service directory',
    reports: 'Reports',
    audit: 'Audit',
    notForYourRole: 'This screen is not available to your role.',
    notForYourRoleHint: 'Use the links at the top for the screens of your role.',
    reload: 'Reload',
    none: 'None.',
    showOnce: 'Shown this once only: copy it now. It cannot be shown again.',
    hide: 'I have copied it: hide it',
    waitSeconds: (seconds: number) => `Too many requests: try again in ${seconds} s.`,
  },
  {
    approvals: 'Approbations',
    myServices: 'Mes services',
    users: 'Utilisateurs',
    apiKeys: 'Clés d’API des partenaires',
    agencies: 'Agences membres',
    directory: 'Répertoire des services',
    reports: 'Rapports',
    audit: 'Audit',
    notForYourRole: 'Cet écran n’est pas accessible à votre rôle.',
    notForYourRoleHint: 'Utilisez les liens en haut pour les écrans de votre rôle.',
    reload: 'Recharger',
    none: 'Aucun.',
    showOnce: 'Affiché cette seule fois : copiez-le maintenant. Il ne pourra plus être affiché.',
    hide: 'Je l’ai copié : le masquer',
    waitSeconds: (seconds: number) => `Trop de demandes : réessayez dans ${seconds} s.`,
  },
);
