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
    withOrganisation: 'Sign in with your organisation',
    organisationFailed: 'Signing in with your organisation did not succeed. Please try again.',
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
    withOrganisation: 'Se connecter avec votre organisation',
    organisationFailed: 'La connexion avec votre organisation n’a pas abouti. Veuillez réessayer.',
    language: 'Langue',
  },
);

export const CHOOSE_PASSWORD = catalogue(
  {
    heading: 'Choose your own password',
    why: 'The password you were given was seen by the person who created your account, so it works only once. Choose your own to sign in.',
    newPassword: 'New password',
    repeat: 'Repeat the new password',
    submit: 'Save and sign in',
    tooShort: (min: number) => `The new password needs at least ${min} characters.`,
    different: 'The two new passwords are not the same.',
    same: 'The new password must differ from the one you were given.',
  },
  {
    heading: 'Choisissez votre propre mot de passe',
    why: 'Le mot de passe qui vous a été remis a été vu par la personne qui a créé votre compte : il ne sert qu’une fois. Choisissez le vôtre pour vous connecter.',
    newPassword: 'Nouveau mot de passe',
    repeat: 'Répétez le nouveau mot de passe',
    submit: 'Enregistrer et se connecter',
    tooShort: (min: number) => `Le nouveau mot de passe doit compter au moins ${min} caractères.`,
    different: 'Les deux nouveaux mots de passe ne sont pas identiques.',
    same: 'Le nouveau mot de passe doit être différent de celui qui vous a été remis.',
  },
);
