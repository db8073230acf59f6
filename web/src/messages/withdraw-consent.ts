import { catalogue } from '../i18n';

export const WITHDRAW = catalogue(
  {
    heading: 'Withdraw consent',
    notInCase: 'This consent is not part of the case.',
    what: 'What does the person withdraw?',
    whole: 'All of this consent',
    some: 'Only some permissions',
    consequences: 'What this will do',
    chooseOne: 'Choose at least one permission.',
    checking: 'Checking which referrals rely on it…',
    noneRely: 'No referral relies on it: no referral will be withdrawn.',
    willWithdraw: (count: number) =>
      `${count === 1 ? 'This referral relies on it and' : `These ${count} referrals rely on it and`} will be withdrawn. The receiving agencies will no longer see what it shared.`,
    confirm: 'Confirm withdrawal',
    cancel: 'Cancel',
  },
  {
    heading: 'Retirer le consentement',
    notInCase: 'Ce consentement ne fait pas partie du dossier.',
    what: 'Que retire la personne ?',
    whole: 'Tout ce consentement',
    some: 'Seulement certaines autorisations',
    consequences: 'Ce que cela va faire',
    chooseOne: 'Choisissez au moins une autorisation.',
    checking: 'Vérification des orientations qui en dépendent…',
    noneRely: 'Aucune orientation n’en dépend : aucune orientation ne sera retirée.',
    willWithdraw: (count: number) =>
      count === 1
        ? 'Cette orientation en dépend et sera retirée. L’organisation qui l’a reçue ne verra plus ce qui avait été partagé.'
        : `Ces ${count} orientations en dépendent et seront retirées. Les organisations qui les ont reçues ne verront plus ce qui avait été partagé.`,
    confirm: 'Confirmer le retrait',
    cancel: 'Annuler',
  },
);
