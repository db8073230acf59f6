import type { components } from '../api/schema';
import { catalogue } from '../i18n';

/**
 * Every kind of problem the API answers with, as its OpenAPI document names them (one response per
 * kind, from the service's catalogue src/platform/problem-catalogue.ts): a kind the service adds
 * breaks this build until it has words in both languages.
 */
export type ProblemKind = keyof components['responses'];

/**
 * What a refused or failed request means for the user, chosen by the problem's kind (every kind, in
 * English by `satisfies`, in French as the catalogue's same keys); the service's own `detail` is in English.
 */
export const PROBLEMS = catalogue(
  {
    kind: {
      'malformed-request':
        'The service could not accept what was sent: something is missing or not valid. Check the form and try again. Nothing was saved.',
      'not-signed-in': 'Your session has ended. Please sign in again.',
      'not-allowed': 'Your role does not allow this.',
      'password-change-required': 'You must choose your own password before you can sign in.',
      'not-found': 'Not found, or not shared with your agency.',
      'method-not-allowed': 'The service does not take this action here.',
      conflict: 'This cannot be done as things stand: the record is no longer in a state that allows it. Reload to see the latest.',
      'concurrent-change': 'Someone else changed this in the meantime, again and again: nothing was saved. Reload and try again.',
      'precondition-failed': 'Someone else changed this in the meantime. Reload to see the latest, then try again.',
      'request-too-large': 'What was sent is too large. Send less at a time.',
      'unsupported-media-type': 'The service could not read what was sent.',
      'rule-violated': 'A rule of the service refuses this. Nothing was saved.',
      'consent-required':
        'No consent covers sharing this with this agency for this purpose: record the person’s consent first. Nothing was shared.',
      'idempotency-key-reused': 'This action was already sent with different content. Reload the page and do it again.',
      'too-many-requests': 'Too many requests just now. Please wait a moment before trying again.',
      'internal-error': 'The service failed while handling this. Try again later; if it goes on, tell the service’s operators.',
      'service-unavailable': 'The service cannot answer just now. Try again in a little while.',
    } satisfies Record<ProblemKind, string>,
    connectionLost: 'The connection was lost: the action was not sent. What you typed is kept; try again.',
    answered: (status: number) => `The service answered ${status}.`,
    fromService: 'Details from the service (in English):',
  },
  {
    kind: {
      'malformed-request':
        'Le service n’a pas pu accepter ce qui a été envoyé : une information manque ou n’est pas valide. Vérifiez le formulaire et réessayez. Rien n’a été enregistré.',
      'not-signed-in': 'Votre session a pris fin. Veuillez vous reconnecter.',
      'not-allowed': 'Votre rôle ne permet pas cette action.',
      'password-change-required': 'Vous devez choisir votre propre mot de passe avant de pouvoir vous connecter.',
      'not-found': 'Introuvable, ou non partagé avec votre organisation.',
      'method-not-allowed': 'Le service n’accepte pas cette action ici.',
      conflict:
        'Ce n’est pas possible en l’état : le dossier n’est plus dans un état qui le permet. Actualisez pour voir la dernière version.',
      'concurrent-change':
        'Quelqu’un d’autre a modifié ceci entre-temps, à plusieurs reprises : rien n’a été enregistré. Actualisez et réessayez.',
      'precondition-failed': 'Quelqu’un d’autre a modifié ceci entre-temps. Actualisez pour voir la dernière version, puis réessayez.',
      'request-too-large': 'Ce qui a été envoyé est trop volumineux. Envoyez-en moins à la fois.',
      'unsupported-media-type': 'Le service n’a pas pu lire ce qui a été envoyé.',
      'rule-violated': 'Une règle du service refuse cette action. Rien n’a été enregistré.',
      'consent-required':
        'Aucun consentement ne couvre ce partage avec cette organisation pour cette finalité : enregistrez d’abord le consentement de la personne. Rien n’a été partagé.',
      'idempotency-key-reused': 'Cette action a déjà été envoyée avec un autre contenu. Actualisez la page et recommencez.',
      'too-many-requests': 'Trop de demandes en ce moment. Veuillez patienter un instant avant de réessayer.',
      'internal-error':
        'Le service a échoué en traitant cette demande. Réessayez plus tard ; si cela continue, prévenez les exploitants du service.',
      'service-unavailable': 'Le service ne peut pas répondre pour le moment. Réessayez dans un moment.',
    },
    connectionLost: 'La connexion a été perdue : l’action n’a pas été envoyée. Ce que vous avez saisi est conservé ; réessayez.',
    answered: (status: number) => `Le service a répondu ${status}.`,
    fromService: 'Détails donnés par le service (en anglais) :',
  },
);

export const isProblemKind = (slug: string): slug is ProblemKind => Object.hasOwn(PROBLEMS.en.kind, slug);
