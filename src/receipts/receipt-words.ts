import type { AgencyKind, DataCategory, Purpose, ServiceType } from '../../libs/consent-policy/index.js';

/**
 * The words of the printable receipt, one set per written language. Plain words a caseworker can
 * read out: no codes, no legal terms, "you" for the person. Typed as complete records, so a new
 * category, purpose, service or kind of agency does not compile until every language has it.
 */
export interface ReceiptWords {
  /** Locale for dates. */
  readonly locale: string;
  readonly utc: string;
  /** Between a label and its text (French puts a space before the colon). */
  readonly colon: string;
  /** Between the kinds of data in a list. */
  readonly semicolon: string;
  readonly categories: Readonly<Record<DataCategory, string>>;
  readonly services: Readonly<Record<ServiceType, string>>;
  readonly anyAgencyOfKind: Readonly<Record<AgencyKind, string>>;
  readonly unknownAgency: string;
  /** Why a provision's recipient may receive the data, as a phrase starting with "to". */
  why(purpose: Purpose, services: readonly ServiceType[]): string;
  readonly given: {
    readonly title: string;
    readonly receiptNumber: string;
    intro(when: string, recorder: string, owner: string): string;
    readonly guardian: string;
    readonly guardianAndChild: string;
    readonly method: Readonly<Record<'verbal' | 'written' | 'phone', string>>;
    readonly interpreter: string;
    readonly heading: string;
    readonly what: string;
    readonly whyLabel: string;
    from(when: string): string;
    until(when: string): string;
    readonly untilStopped: string;
    readonly onlyThis: string;
    readonly rightsHeading: string;
    rights(owner: string): string;
  };
  readonly withdrawal: {
    readonly title: string;
    intro(when: string, recorder: string, owner: string, givenWhen: string): string;
    readonly heading: string;
    readonly wasFor: string;
    stops(owner: string): string;
    partRemains(givenWhen: string): string;
    readonly allEnded: string;
    readonly again: string;
  };
  staffMember(owner: string): string;
  recorderOf(recorder: string, owner: string): string;
  quote(receiptId: string): string;
}

const EN: ReceiptWords = {
  locale: 'en-GB',
  utc: 'UTC',
  colon: ': ',
  semicolon: '; ',
  categories: {
    identity: 'who you are (your name and other identity details)',
    contact: 'how to reach you (such as your phone number)',
    location: 'where you are staying',
    demographics: 'basic facts about you (such as sex, age group, nationality, disability)',
    health: 'your health',
    psychosocial: 'how you are feeling and coping',
    trafficking_experience: 'what happened to you (your story)',
    legal_status: 'your legal situation and your papers',
    family: 'your family',
    safety: 'risks to your safety and your safety plan',
    case_progress: 'how your case is going (only its status and dates)',
  },
  services: {
    in_depth_interview: 'a longer private talk with a trained person',
    material_assistance: 'things you need, such as clothes and household items',
    shelter: 'a safe place to stay',
    wash: 'water, washing and toilets',
    food_and_nutrition: 'food',
    personal_safety: 'help to keep you safe',
    medical: 'medical care',
    mhpss: 'emotional support and counselling',
    education_and_training: 'school or training',
    livelihoods: 'help to earn a living',
    family_tracing_and_reunification: 'finding your family and getting back together',
    legal_assistance: 'legal help',
    interpretation: 'an interpreter',
  },
  anyAgencyOfKind: {
    government_social_service: 'any government social services office in the network',
    law_enforcement: 'any police service in the network',
    prosecution: "any prosecutor's office in the network",
    national_ngo: 'any national aid organisation in the network',
    international_ngo: 'any international aid organisation in the network',
    un_agency: 'any United Nations agency in the network',
    red_cross_red_crescent: 'any Red Cross or Red Crescent society in the network',
    health: 'any health service in the network',
    legal_aid: 'any legal aid service in the network',
    shelter: 'any shelter in the network',
  },
  unknownAgency: 'an organisation that has left the network',
  why(purpose, services) {
    switch (purpose) {
      case 'case_management':
        return 'to follow your situation and arrange the help you get';
      case 'service_provision':
        return services.length > 0
          ? `to give you this help: ${list(
              services.map((s) => EN.services[s]),
              'and',
            )}`
          : 'to give you help';
      case 'family_tracing':
        return 'to look for your family and help you get back in touch';
      case 'legal_assistance':
        return 'to give you legal advice and help';
      case 'phone_case_management':
        return 'to follow your situation and support you by phone';
      case 'law_enforcement_report':
        return 'to tell the police or the prosecutor what happened';
      case 'anonymous_statistics':
        return 'to count your case in figures that do not name you';
      case 'media':
        return 'to share your story with journalists';
    }
  },
  given: {
    title: 'RECORD OF YOUR AGREEMENT TO SHARE INFORMATION',
    receiptNumber: 'Receipt number',
    intro: (when, recorder, owner) =>
      `On ${when}, ${recorder} wrote down that you agreed to let ${owner} share some information about you with the organisations listed below.`,
    guardian: 'Your guardian agreed to this.',
    guardianAndChild: 'Your guardian agreed to this, and you said yes too.',
    method: {
      verbal: 'You gave your agreement out loud.',
      written: 'You gave your agreement in writing.',
      phone: 'You gave your agreement over the phone.',
    },
    interpreter: 'An interpreter helped.',
    heading: 'WHO MAY RECEIVE WHAT, AND WHY',
    what: 'What',
    whyLabel: 'Why',
    from: (when) => `From ${when}.`,
    until: (when) => `Until ${when}, unless you ask to stop before then.`,
    untilStopped: 'Until you ask to stop.',
    onlyThis: 'This agreement covers only what is listed above.',
    rightsHeading: 'YOU CAN CHANGE YOUR MIND',
    rights: (owner) =>
      `You can change your mind at any time, about all of this or only part of it. Tell ${owner} and the sharing will stop. You do not have to give a reason.`,
  },
  withdrawal: {
    title: 'RECORD OF YOUR DECISION TO STOP SHARING INFORMATION',
    intro: (when, recorder, owner, givenWhen) =>
      `On ${when}, ${recorder} wrote down that you asked ${owner} to stop sharing information about you that you had agreed to share on ${givenWhen}.`,
    heading: 'WHAT STOPS NOW',
    wasFor: 'It was',
    stops: (owner) => `From now on ${owner} will not share this information with them, and they can no longer see it through the network.`,
    partRemains: (givenWhen) => `Nothing changes for the rest of what you agreed to on ${givenWhen}. You can stop that too at any time.`,
    allEnded: 'Nothing more is shared under that agreement.',
    again: 'If you change your mind again, you can give a new agreement at any time.',
  },
  staffMember: (owner) => `a staff member of ${owner}`,
  recorderOf: (recorder, owner) => `${recorder} of ${owner}`,
  quote: (id) => `When you ask about this, give this receipt number: ${id}`,
};

const FR: ReceiptWords = {
  locale: 'fr-FR',
  utc: 'heure UTC',
  colon: ' : ',
  semicolon: ' ; ',
  categories: {
    identity: "qui vous êtes (votre nom et d'autres éléments d'identité)",
    contact: 'comment vous joindre (par exemple votre numéro de téléphone)',
    location: "l'endroit où vous logez",
    demographics: "des informations de base sur vous (par exemple sexe, tranche d'âge, nationalité, handicap)",
    health: 'votre santé',
    psychosocial: 'comment vous vous sentez et comment vous faites face',
    trafficking_experience: 'ce qui vous est arrivé (votre histoire)',
    legal_status: 'votre situation légale et vos papiers',
    family: 'votre famille',
    safety: 'les risques pour votre sécurité et votre plan de sécurité',
    case_progress: "l'avancement de votre dossier (seulement son état et les dates)",
  },
  services: {
    in_depth_interview: 'un entretien approfondi et confidentiel avec une personne formée',
    material_assistance: 'des choses dont vous avez besoin, comme des vêtements et des articles ménagers',
    shelter: 'un lieu sûr où loger',
    wash: "l'eau, l'hygiène et les toilettes",
    food_and_nutrition: 'de la nourriture',
    personal_safety: 'une aide pour assurer votre sécurité',
    medical: 'des soins médicaux',
    mhpss: 'un soutien psychologique et émotionnel',
    education_and_training: "l'école ou une formation",
    livelihoods: 'une aide pour gagner votre vie',
    family_tracing_and_reunification: 'retrouver votre famille et la rejoindre',
    legal_assistance: 'une aide juridique',
    interpretation: 'un interprète',
  },
  anyAgencyOfKind: {
    government_social_service: 'tout service social public du réseau',
    law_enforcement: 'tout service de police du réseau',
    prosecution: 'tout parquet du réseau',
    national_ngo: "toute organisation d'aide nationale du réseau",
    international_ngo: "toute organisation d'aide internationale du réseau",
    un_agency: 'toute agence des Nations Unies du réseau',
    red_cross_red_crescent: 'toute société de la Croix-Rouge ou du Croissant-Rouge du réseau',
    health: 'tout service de santé du réseau',
    legal_aid: "tout service d'aide juridique du réseau",
    shelter: "tout foyer d'hébergement du réseau",
  },
  unknownAgency: 'une organisation qui a quitté le réseau',
  why(purpose, services) {
    switch (purpose) {
      case 'case_management':
        return "pour suivre votre situation et organiser l'aide que vous recevez";
      case 'service_provision':
        return services.length > 0
          ? `pour vous apporter cette aide : ${list(
              services.map((s) => FR.services[s]),
              'et',
            )}`
          : "pour vous apporter de l'aide";
      case 'family_tracing':
        return 'pour rechercher votre famille et vous aider à reprendre contact';
      case 'legal_assistance':
        return 'pour vous donner des conseils et une aide juridiques';
      case 'phone_case_management':
        return 'pour suivre votre situation et vous accompagner par téléphone';
      case 'law_enforcement_report':
        return "pour dire à la police ou au procureur ce qui s'est passé";
      case 'anonymous_statistics':
        return 'pour compter votre dossier dans des chiffres qui ne vous nomment pas';
      case 'media':
        return 'pour partager votre histoire avec des journalistes';
    }
  },
  given: {
    title: 'RELEVÉ DE VOTRE ACCORD POUR PARTAGER DES INFORMATIONS',
    receiptNumber: 'Numéro du reçu',
    intro: (when, recorder, owner) =>
      `Le ${when}, ${recorder} a noté que vous avez accepté que ${owner} partage certaines informations vous concernant avec les organisations ci-dessous.`,
    guardian: 'Votre tuteur ou votre tutrice a donné son accord.',
    guardianAndChild: 'Votre tuteur ou votre tutrice a donné son accord, et vous avez dit oui vous aussi.',
    method: {
      verbal: 'Vous avez donné votre accord oralement.',
      written: 'Vous avez donné votre accord par écrit.',
      phone: 'Vous avez donné votre accord par téléphone.',
    },
    interpreter: 'Un interprète était là pour traduire.',
    heading: 'QUI PEUT RECEVOIR QUOI, ET POURQUOI',
    what: 'Quoi',
    whyLabel: 'Pourquoi',
    from: (when) => `À partir du ${when}.`,
    until: (when) => `Jusqu'au ${when}, sauf si vous demandez d'arrêter avant.`,
    untilStopped: "Jusqu'à ce que vous demandiez d'arrêter.",
    onlyThis: 'Cet accord ne couvre que ce qui est indiqué ci-dessus.',
    rightsHeading: "VOUS POUVEZ CHANGER D'AVIS",
    rights: (owner) =>
      `Vous pouvez changer d'avis à tout moment, pour tout ou pour une partie seulement. Dites-le à ${owner} et le partage s'arrêtera. Vous n'avez pas à donner de raison.`,
  },
  withdrawal: {
    title: "RELEVÉ DE VOTRE DÉCISION D'ARRÊTER LE PARTAGE D'INFORMATIONS",
    intro: (when, recorder, owner, givenWhen) =>
      `Le ${when}, ${recorder} a noté que vous avez demandé à ${owner} d'arrêter de partager des informations vous concernant, que vous aviez accepté de partager le ${givenWhen}.`,
    heading: "CE QUI S'ARRÊTE MAINTENANT",
    wasFor: "C'était",
    stops: (owner) =>
      `Désormais, ${owner} ne leur transmettra plus ces informations, et ces organisations ne peuvent plus les voir par le réseau.`,
    partRemains: (givenWhen) =>
      `Rien ne change pour le reste de ce que vous avez accepté le ${givenWhen}. Vous pouvez aussi l'arrêter à tout moment.`,
    allEnded: "Plus rien n'est partagé dans le cadre de cet accord.",
    again: "Si vous changez encore d'avis, vous pouvez donner un nouvel accord à tout moment.",
  },
  staffMember: (owner) => `un membre du personnel de ${owner}`,
  recorderOf: (recorder, owner) => `${recorder}, de ${owner},`,
  quote: (id) => `Si vous posez une question à ce sujet, donnez ce numéro de reçu : ${id}`,
};

/** Languages with a written template; any other is read out from the English by the interpreter. */
export const RECEIPT_WORDS = { en: EN, fr: FR } as const;
export type WrittenLanguage = keyof typeof RECEIPT_WORDS;

function list(items: readonly string[], and: string): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`;
}
