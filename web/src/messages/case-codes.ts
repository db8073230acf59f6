import type {
  AgeBand,
  AgeGroup,
  AgencyKind,
  Category,
  CloseReason,
  IdentificationOutcome,
  InterruptReason,
  Purpose,
  RiskLevel,
  SafetyFlag,
  ScreeningOutcome,
  ServiceType,
  Sex,
  Source,
  Urgency,
} from '../api/types';
import { catalogue } from '../i18n';

/**
 * The API's codes a caseworker chooses from, in words. Each table lists every code of its type, so
 * the forms offer exactly what the API accepts (see `codes` in api/types.ts).
 */
interface CaseCodes {
  source: Record<Source, string>;
  ageGroup: Record<AgeGroup, string>;
  sex: Record<Sex, string>;
  ageBand: Record<AgeBand, string>;
  category: Record<Category, string>;
  purpose: Record<Purpose, string>;
  serviceType: Record<ServiceType, string>;
  agencyKind: Record<AgencyKind, string>;
  flag: Record<SafetyFlag, string>;
  interruptReason: Record<InterruptReason, string>;
  closeReason: Record<CloseReason, string>;
  screening: Record<ScreeningOutcome, string>;
  identification: Record<IdentificationOutcome, string>;
  risk: Record<RiskLevel, string>;
  urgency: Record<Urgency, string>;
}

const en = {
  source: {
    observation: 'Seen by our staff',
    self_referral: 'The person came to us',
    hotline: 'Hotline call',
    referral_in: 'Referred by another organisation',
  },
  ageGroup: {
    adult: 'An adult',
    child: 'A child',
    claims_to_be_child: 'Says they are a child',
    possibly_child: 'May be a child',
  },
  sex: { female: 'Female', male: 'Male', other: 'Other', undisclosed: 'Not said' },
  ageBand: {
    '0-4': '0 to 4',
    '5-11': '5 to 11',
    '12-14': '12 to 14',
    '15-17': '15 to 17',
    '18-24': '18 to 24',
    '25-59': '25 to 59',
    '60+': '60 or over',
    unknown: 'Not known',
  },
  category: {
    identity: 'Identity (name, date of birth)',
    contact: 'Contact details',
    location: 'Where the person is',
    demographics: 'Sex, age band, nationality',
    health: 'Health',
    psychosocial: 'Psychosocial wellbeing',
    trafficking_experience: 'Trafficking experience (most sensitive)',
    legal_status: 'Legal status',
    family: 'Family',
    safety: 'Safety and risks',
    case_progress: 'Case progress (status and dates only)',
  },
  purpose: {
    case_management: 'Case management',
    service_provision: 'Providing a service',
    family_tracing: 'Family tracing',
    legal_assistance: 'Legal assistance',
    phone_case_management: 'Case management by phone',
    law_enforcement_report: 'Report to law enforcement',
    anonymous_statistics: 'Anonymous statistics',
    media: 'Media',
  },
  serviceType: {
    in_depth_interview: 'In-depth interview',
    material_assistance: 'Material assistance',
    shelter: 'Shelter',
    wash: 'Water, sanitation and hygiene',
    food_and_nutrition: 'Food and nutrition',
    personal_safety: 'Personal safety',
    medical: 'Medical care',
    mhpss: 'Mental health and psychosocial support',
    education_and_training: 'Education and training',
    livelihoods: 'Livelihoods',
    family_tracing_and_reunification: 'Family tracing and reunification',
    legal_assistance: 'Legal assistance',
    interpretation: 'Interpretation',
  },
  agencyKind: {
    government_social_service: 'government social service',
    law_enforcement: 'law enforcement agency',
    prosecution: 'prosecution service',
    national_ngo: 'national NGO',
    international_ngo: 'international NGO',
    un_agency: 'UN agency',
    red_cross_red_crescent: 'Red Cross or Red Crescent society',
    health: 'health service',
    legal_aid: 'legal aid service',
    shelter: 'shelter',
  },
  flag: {
    location_must_not_be_shared: 'Where the person is must not be shared',
    family_involved_in_trafficking: 'The family may be involved in the trafficking',
    no_phone_contact: 'Do not contact by phone',
    authorities_involved_in_trafficking: 'Authorities may be involved in the trafficking',
  },
  interruptReason: {
    declined_assistance: 'The person declined assistance',
    lost_contact: 'Contact was lost',
    relocated: 'The person moved away',
    other: 'Another reason',
  },
  closeReason: {
    services_completed: 'Services completed',
    declined_assistance: 'The person declined assistance',
    lost_contact: 'Contact was lost',
    referred_outside_network: 'Referred outside the network',
    other: 'Another reason',
  },
  screening: {
    indicators_confirmed: 'Indicators hold: refer for an in-depth interview',
    other_needs: 'Not trafficking, but other needs: refer for them',
    no_further_action: 'No further action',
  },
  identification: {
    trafficked_person: 'A trafficked person',
    not_trafficked: 'Not trafficked (still refer for other needs)',
    inconclusive: 'Inconclusive',
  },
  risk: { low: 'Low', medium: 'Medium', high: 'High' },
  urgency: { immediate: 'Immediate', high: 'High', normal: 'Normal' },
} satisfies CaseCodes;

const fr: typeof en = {
  source: {
    observation: 'Repéré par notre personnel',
    self_referral: 'La personne est venue d’elle-même',
    hotline: 'Appel à la ligne d’assistance',
    referral_in: 'Orienté par une autre organisation',
  },
  ageGroup: {
    adult: 'Un adulte',
    child: 'Un enfant',
    claims_to_be_child: 'Dit être un enfant',
    possibly_child: 'Peut-être un enfant',
  },
  sex: { female: 'Féminin', male: 'Masculin', other: 'Autre', undisclosed: 'Non précisé' },
  ageBand: {
    '0-4': '0 à 4 ans',
    '5-11': '5 à 11 ans',
    '12-14': '12 à 14 ans',
    '15-17': '15 à 17 ans',
    '18-24': '18 à 24 ans',
    '25-59': '25 à 59 ans',
    '60+': '60 ans ou plus',
    unknown: 'Inconnu',
  },
  category: {
    identity: 'Identité (nom, date de naissance)',
    contact: 'Coordonnées',
    location: 'Où se trouve la personne',
    demographics: 'Sexe, tranche d’âge, nationalité',
    health: 'Santé',
    psychosocial: 'Bien-être psychosocial',
    trafficking_experience: 'Vécu de la traite (le plus sensible)',
    legal_status: 'Situation juridique',
    family: 'Famille',
    safety: 'Sécurité et risques',
    case_progress: 'Avancement du dossier (statut et dates seulement)',
  },
  purpose: {
    case_management: 'Gestion du dossier',
    service_provision: 'Fournir un service',
    family_tracing: 'Recherche familiale',
    legal_assistance: 'Assistance juridique',
    phone_case_management: 'Gestion du dossier par téléphone',
    law_enforcement_report: 'Signalement aux forces de l’ordre',
    anonymous_statistics: 'Statistiques anonymes',
    media: 'Médias',
  },
  serviceType: {
    in_depth_interview: 'Entretien approfondi',
    material_assistance: 'Aide matérielle',
    shelter: 'Hébergement',
    wash: 'Eau, assainissement et hygiène',
    food_and_nutrition: 'Alimentation et nutrition',
    personal_safety: 'Sécurité personnelle',
    medical: 'Soins médicaux',
    mhpss: 'Santé mentale et soutien psychosocial',
    education_and_training: 'Éducation et formation',
    livelihoods: 'Moyens de subsistance',
    family_tracing_and_reunification: 'Recherche et réunification familiales',
    legal_assistance: 'Assistance juridique',
    interpretation: 'Interprétariat',
  },
  agencyKind: {
    government_social_service: 'service social public',
    law_enforcement: 'force de l’ordre',
    prosecution: 'parquet',
    national_ngo: 'ONG nationale',
    international_ngo: 'ONG internationale',
    un_agency: 'agence des Nations unies',
    red_cross_red_crescent: 'société de la Croix-Rouge ou du Croissant-Rouge',
    health: 'service de santé',
    legal_aid: 'service d’aide juridique',
    shelter: 'centre d’hébergement',
  },
  flag: {
    location_must_not_be_shared: 'Le lieu où se trouve la personne ne doit pas être partagé',
    family_involved_in_trafficking: 'La famille est peut-être impliquée dans la traite',
    no_phone_contact: 'Ne pas contacter par téléphone',
    authorities_involved_in_trafficking: 'Des autorités sont peut-être impliquées dans la traite',
  },
  interruptReason: {
    declined_assistance: 'La personne a refusé l’assistance',
    lost_contact: 'Le contact a été perdu',
    relocated: 'La personne est partie ailleurs',
    other: 'Une autre raison',
  },
  closeReason: {
    services_completed: 'Services fournis',
    declined_assistance: 'La personne a refusé l’assistance',
    lost_contact: 'Le contact a été perdu',
    referred_outside_network: 'Orientée hors du réseau',
    other: 'Une autre raison',
  },
  screening: {
    indicators_confirmed: 'Les indicateurs se confirment : orienter vers un entretien approfondi',
    other_needs: 'Pas de traite, mais d’autres besoins : orienter pour ceux-ci',
    no_further_action: 'Aucune suite',
  },
  identification: {
    trafficked_person: 'Une personne ayant subi la traite',
    not_trafficked: 'Pas de traite (orienter quand même pour d’autres besoins)',
    inconclusive: 'Non concluant',
  },
  risk: { low: 'Faible', medium: 'Moyen', high: 'Élevé' },
  urgency: { immediate: 'Immédiate', high: 'Haute', normal: 'Normale' },
};

export const caseCodes = catalogue(en, fr);
