import type { ConsentNeeded, EligibilityGap, Unavailable } from '../api/types';
import { catalogue } from '../i18n';

/**
 * The codes of the suggestions (eligibility gaps, why an agency cannot take the referral, the
 * consent to obtain) in words: the service's own sentences are English only. `names` are the
 * codes inside a gap already in words (sexes, languages), `service` and `status` likewise.
 */

export const referWords = catalogue(
  {
    title: 'Refer the person',
    service: 'Service needed',
    share: 'What the referral would share',
    area: 'Area (optional)',
    urgency: 'Urgency',
    note: 'Note to the receiving agency (no personal details)',
    find: 'Find agencies',
    none: 'No member agency offers this service here.',
    capacity: (available: number, total: number) => `${available} of ${total} places free`,
    noCapacityKnown: 'Capacity not published',
    available: 'Can take the referral now',
    unavailable: (why: string) => `Cannot take it now (${why})`,
    notEligibleWith: 'Agencies the person is not eligible with',
    notEligible: (gaps: string) => `Not eligible: ${gaps}`,
    /** A name and what is said of it, with the language's own punctuation. */
    named: (name: string, what: string) => `${name}: ${what}`,
    gap: (gap: EligibilityGap, names: string): string => {
      switch (gap.rule) {
        case 'children':
          return 'does not take children';
        case 'sex':
          return `accepts ${names} only`;
        case 'minimum_age':
          return `minimum age ${gap.age}`;
        case 'maximum_age':
          return `maximum age ${gap.age}`;
        case 'language':
          return `no language in common (the service speaks ${names})`;
      }
    },
    and: ' and ',
    sex: { female: 'female', male: 'male', other: 'other' },
    whyUnavailable: (why: Unavailable, service: string): string => {
      switch (why.kind) {
        case 'agency_inactive':
          return 'the agency is no longer an active member of the network';
        case 'not_offered':
          return `the agency does not offer ${service}${why.where === 'service' ? ' at the service named' : why.where === 'area' ? ' in the area named' : ''}`;
        case 'closed':
          return `its ${service} service is ${{ inactive: 'inactive', defunct: 'closed down', 'temporarily closed': 'temporarily closed' }[why.status]}`;
        case 'full':
          return `its ${service} service is full`;
      }
    },
    toObtain: (needed: ConsentNeeded, categories: string, agency: string, purpose: string): string => {
      const basis =
        needed.consent === 'any'
          ? needed.namedAgency
            ? 'the person’s explicit consent naming the agency'
            : 'the person’s consent'
          : needed.consent === 'guardian_with_child_assent'
            ? 'a guardian’s consent with the child’s assent, or an approved best-interests determination'
            : `an approved best-interests determination${needed.namedAgency ? ' naming the agency' : ''}`;
      return needed.refused
        ? `Nothing can permit sharing ${categories} with ${agency}.`
        : `To refer, obtain ${basis} to share ${categories} with ${agency} (${purpose}).`;
    },
    withheld: (categories: string) => `Withheld by a safety flag on the case, which no consent releases: ${categories}.`,
    consentCovers: 'Consent covers what would be shared',
    consentMissing: (categories: string) => `Consent missing for: ${categories}`,
    recordConsent: 'Record the consent needed',
    refer: (agency: string) => `Refer to ${agency}`,
    outside: 'Outside the network (call them; nothing is sent)',
    howToRefer: 'How to refer',
    cancel: 'Back to the case',
    reReferTitle: 'Refer to another agency after a decline',
    sameNeed: (service: string) => `The same need as the declined referral: ${service}.`,
    notDeclined: 'This referral was not declined: refer the person from the case instead.',
  },
  {
    title: 'Orienter la personne',
    service: 'Service nécessaire',
    share: 'Ce que l’orientation partagerait',
    area: 'Zone (facultatif)',
    urgency: 'Urgence',
    note: 'Note à l’agence destinataire (sans données personnelles)',
    find: 'Chercher des agences',
    none: 'Aucune agence membre n’offre ce service ici.',
    capacity: (available: number, total: number) => `${available} places libres sur ${total}`,
    noCapacityKnown: 'Capacité non publiée',
    available: 'Peut accepter l’orientation maintenant',
    unavailable: (why: string) => `Ne peut pas l’accepter maintenant (${why})`,
    notEligibleWith: 'Agences pour lesquelles la personne n’est pas éligible',
    notEligible: (gaps: string) => `Non éligible : ${gaps}`,
    named: (name: string, what: string) => `${name} : ${what}`,
    gap: (gap: EligibilityGap, names: string): string => {
      switch (gap.rule) {
        case 'children':
          return 'n’accueille pas d’enfants';
        case 'sex':
          return `n’accepte que le sexe ${names}`;
        case 'minimum_age':
          return `âge minimum ${gap.age} ans`;
        case 'maximum_age':
          return `âge maximum ${gap.age} ans`;
        case 'language':
          return `aucune langue en commun (le service parle ${names})`;
      }
    },
    and: ' et ',
    sex: { female: 'féminin', male: 'masculin', other: 'autre' },
    whyUnavailable: (why: Unavailable, service: string): string => {
      switch (why.kind) {
        case 'agency_inactive':
          return 'l’organisation n’est plus membre actif du réseau';
        case 'not_offered':
          return `l’organisation n’offre pas ce service (${service})${why.where === 'service' ? ' au service indiqué' : why.where === 'area' ? ' dans la zone indiquée' : ''}`;
        case 'closed':
          return `son service (${service}) est ${{ inactive: 'inactif', defunct: 'fermé définitivement', 'temporarily closed': 'fermé temporairement' }[why.status]}`;
        case 'full':
          return `son service (${service}) est complet`;
      }
    },
    toObtain: (needed: ConsentNeeded, categories: string, agency: string, purpose: string): string => {
      const basis =
        needed.consent === 'any'
          ? needed.namedAgency
            ? 'le consentement explicite de la personne, nommant l’organisation'
            : 'le consentement de la personne'
          : needed.consent === 'guardian_with_child_assent'
            ? 'le consentement d’un tuteur avec l’assentiment de l’enfant, ou une détermination de l’intérêt supérieur approuvée'
            : `une détermination de l’intérêt supérieur approuvée${needed.namedAgency ? ' nommant l’organisation' : ''}`;
      return needed.refused
        ? `Rien ne peut permettre de partager ${categories} avec ${agency}.`
        : `Pour orienter, obtenez ${basis} pour partager ${categories} avec ${agency} (${purpose}).`;
    },
    withheld: (categories: string) =>
      `Retenu par un signalement de sécurité sur le dossier, qu’aucun consentement ne lève : ${categories}.`,
    consentCovers: 'Le consentement couvre ce qui serait partagé',
    consentMissing: (categories: string) => `Consentement manquant pour : ${categories}`,
    recordConsent: 'Enregistrer le consentement nécessaire',
    refer: (agency: string) => `Orienter vers ${agency}`,
    outside: 'Hors du réseau (à appeler ; rien n’est envoyé)',
    howToRefer: 'Comment orienter',
    cancel: 'Retour au dossier',
    reReferTitle: 'Orienter vers une autre agence après un refus',
    sameNeed: (service: string) => `Le même besoin que l’orientation refusée : ${service}.`,
    notDeclined: 'Cette orientation n’a pas été refusée : orientez la personne depuis le dossier.',
  },
);
