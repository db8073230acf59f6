import { catalogue } from '../i18n';

export const SIGN_IN = catalogue(
  {
    heading: 'Sign in',
    idle: 'You were signed out because the screen was not used for a while. Please sign in again.',
    expired: 'Your session ended. Please sign in again.',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    wrongCredentials: 'Wrong username or password.',
    language: 'Language',
  },
  {
    heading: 'Connexion',
    idle: 'Vous avez été déconnecté(e) car l’écran n’a pas été utilisé pendant un moment. Veuillez vous reconnecter.',
    expired: 'Votre session a pris fin. Veuillez vous reconnecter.',
    username: 'Nom d’utilisateur',
    password: 'Mot de passe',
    submit: 'Se connecter',
    wrongCredentials: 'Nom d’utilisateur ou mot de passe incorrect.',
    language: 'Langue',
  },
);
