import { catalogue } from '../i18n';

/** What a best-interests determination or an erasure request decides, as its owner's agency reads it. */
export const DETERMINATIONS = catalogue(
  {
    title: 'Best-interests determinations and erasure',
    none: 'No best-interests determination and no erasure request.',
    determination: (when: string) => `Best-interests determination proposed ${when}`,
    scope: 'What it allows to be shared',
    columns: { recipient: 'Who may receive', purpose: 'For', categories: 'What', validUntil: 'Valid until' },
    always: 'until withdrawn',
    reasons: 'Reasons',
    state: { proposed: 'Waiting for approval', approved: 'Approved', rejected: 'Rejected' },
    erasure: (when: string) => `Erasure of the personal data requested ${when}: waiting for approval`,
    erasureReason: 'Why',
  },
  {
    title: 'Déterminations de l’intérêt supérieur et effacement',
    none: 'Aucune détermination de l’intérêt supérieur ni demande d’effacement.',
    determination: (when: string) => `Détermination de l’intérêt supérieur proposée le ${when}`,
    scope: 'Ce qu’elle permet de partager',
    columns: { recipient: 'Qui peut recevoir', purpose: 'Pour', categories: 'Quoi', validUntil: 'Valable jusqu’au' },
    always: 'jusqu’au retrait',
    reasons: 'Motifs',
    state: { proposed: 'En attente d’approbation', approved: 'Approuvée', rejected: 'Rejetée' },
    erasure: (when: string) => `Effacement des données personnelles demandé le ${when} : en attente d’approbation`,
    erasureReason: 'Pourquoi',
  },
);
