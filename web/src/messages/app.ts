import { catalogue } from '../i18n';

/** The frame around every screen: the header, its navigation and what shows when no screen fits. */
export const APP = catalogue(
  {
    title: 'Referral coordination',
    skip: 'Skip to content',
    mainNav: 'Main',
    nav: { 'my-cases': 'My cases', 'incoming-referrals': 'Referrals to my agency' },
    signOut: 'Sign out',
    language: 'Language',
    notFound: 'There is no such screen. Use the menu above.',
    notForYourRole: 'This screen is not available to your role.',
    nothingForYourRole: 'There is no screen for your role yet.',
  },
  {
    title: 'Coordination des orientations',
    skip: 'Aller au contenu',
    mainNav: 'Menu principal',
    nav: { 'my-cases': 'Mes dossiers', 'incoming-referrals': 'Orientations vers mon organisation' },
    signOut: 'Se déconnecter',
    language: 'Langue',
    notFound: 'Cet écran n’existe pas. Utilisez le menu ci-dessus.',
    notForYourRole: 'Cet écran n’est pas accessible à votre rôle.',
    nothingForYourRole: 'Il n’y a pas encore d’écran pour votre rôle.',
  },
);
