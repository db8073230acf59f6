import { catalogue } from '../i18n';

export const receiptWords = catalogue(
  {
    title: 'Consent receipt',
    intro:
      'The receipt in plain words, in the language the consent was explained in. Give it to the person if it is safe for them to keep it.',
    print: 'Print',
    downloadText: 'Download the receipt (text)',
    downloadSigned: 'Download the signed receipt (JWS)',
    back: 'Back to the case',
  },
  {
    title: 'Reçu du consentement',
    intro:
      'Le reçu en mots simples, dans la langue dans laquelle le consentement a été expliqué. Remettez-le à la personne s’il est sans danger pour elle de le garder.',
    print: 'Imprimer',
    downloadText: 'Télécharger le reçu (texte)',
    downloadSigned: 'Télécharger le reçu signé (JWS)',
    back: 'Retour au dossier',
  },
);
