import { catalogue } from '../i18n';

export const APPROVALS = catalogue(
  {
    title: 'Approvals waiting',
    intro: 'Decisions of your agency’s cases that need a second person. The person who proposed one cannot decide on it.',
    empty: 'Nothing waits for approval.',
    caption: 'Decisions waiting for approval',
    case: 'Case',
    proposed: 'Proposed',
    kind: { best_interests_determination: 'Best-interests determination', erasure_request: 'Erasure of the case’s personal data' },
    yours: 'You proposed this: someone else must approve or reject it.',
    approve: 'Approve',
    reject: 'Reject',
    approved: 'Approved.',
    rejected: 'Rejected.',
    confirmErasure: 'Approve the erasure: the personal data is destroyed for good',
    more: 'More decisions wait: show the next ones',
    oldest: 'Back to the oldest',
  },
  {
    title: 'Approbations en attente',
    intro:
      'Décisions sur les dossiers de votre agence qui demandent une deuxième personne. Qui a proposé une décision ne peut pas la trancher.',
    empty: 'Rien n’attend d’approbation.',
    caption: 'Décisions en attente d’approbation',
    case: 'Dossier',
    proposed: 'Proposé le',
    kind: {
      best_interests_determination: 'Détermination de l’intérêt supérieur',
      erasure_request: 'Effacement des données personnelles du dossier',
    },
    yours: 'Vous l’avez proposé : une autre personne doit l’approuver ou le rejeter.',
    approve: 'Approuver',
    reject: 'Rejeter',
    approved: 'Approuvé.',
    rejected: 'Rejeté.',
    confirmErasure: 'Approuver l’effacement : les données personnelles sont détruites définitivement',
    more: 'D’autres décisions attendent : afficher les suivantes',
    oldest: 'Revenir aux plus anciennes',
  },
);
