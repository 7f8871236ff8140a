// The portal's words, in French (the default) and English. Keys are stable; values may hold {name} slots.
const WORDS = {
  fr: {
    'skip': 'Aller au contenu', 'nav.label': 'Navigation principale', 'logout': 'Se déconnecter',
    'lang.switch': 'English', 'bell.label': 'Notifications', 'bell.title': 'Ce qui est arrivé', 'bell.empty': 'Rien de nouveau.',
    'status.connecting': 'Connexion…', 'status.live': 'En direct', 'status.reconnecting': 'Reconnexion…',
    'login.title': 'Connexion', 'login.email': 'Adresse électronique', 'login.password': 'Mot de passe',
    'login.submit': 'Continuer', 'login.code': 'Code reçu par courriel', 'login.codeHelp': 'Un code à 6 chiffres vous a été envoyé.',
    'login.verify': 'Se connecter', 'login.failed': 'Adresse ou mot de passe incorrect.', 'login.codeFailed': 'Code incorrect ou expiré.',
    'nav.messages': 'Messagerie', 'nav.documents': 'Documents', 'nav.patients': 'Mes patients',
    'messages.title': 'Messagerie', 'messages.empty': 'Aucune conversation.', 'messages.unread': '{n} non lu(s)',
    'messages.closed': 'Conversation close', 'messages.reply': 'Répondre', 'messages.send': 'Envoyer',
    'messages.body': 'Votre message', 'messages.back': 'Retour à la messagerie', 'messages.close': 'Clore la conversation',
    'messages.readBy': 'Lu par le destinataire', 'messages.you': 'Vous', 'messages.attachment': 'Pièce jointe (PDF, JPEG, PNG)',
    'documents.title': 'Mes documents', 'documents.empty': 'Aucun document.', 'documents.kind': 'Type',
    'documents.all': 'Tous', 'documents.download': 'Télécharger', 'documents.hide': 'Masquer aux professionnels',
    'documents.show': 'Montrer aux professionnels', 'documents.hidden': 'Masqué',
    'kind.prescription': 'Ordonnance', 'kind.lab_result': 'Résultat de laboratoire', 'kind.discharge_report': 'Compte rendu de sortie',
    'kind.imaging_report': "Compte rendu d'imagerie", 'kind.vaccination_certificate': 'Certificat de vaccination', 'kind.other': 'Autre',
    'patients.title': 'Mes patients', 'patients.empty': 'Aucun patient suivi.', 'patients.write': 'Écrire',
    'patients.deposit': 'Déposer un document', 'patients.subject': 'Objet', 'patients.title.field': 'Titre',
    'patients.careDate': 'Date des soins', 'patients.file': 'Fichier (PDF, JPEG, PNG)', 'patients.start': 'Envoyer le message',
    'patients.deposited': 'Document déposé.', 'patients.sent': 'Message envoyé.',
    'event.message.created': 'Nouveau message', 'event.document.arrived': 'Nouveau document : {kind} ({author})',
    'event.reminder.due': 'Rappel : {kind}', 'event.record.accessed': '{actor} a consulté votre dossier',
    'event.record.emergency_access': 'Accès en urgence à votre dossier par {actor}',
    'event.appointment.created': 'Nouveau rendez-vous', 'event.conversation.closed': 'Conversation close',
    'error.generic': "L'opération a échoué : {detail}", 'error.network': 'Le serveur ne répond pas.',
  },
  en: {
    'skip': 'Skip to content', 'nav.label': 'Main navigation', 'logout': 'Log out',
    'lang.switch': 'Français', 'bell.label': 'Notifications', 'bell.title': 'What arrived', 'bell.empty': 'Nothing new.',
    'status.connecting': 'Connecting…', 'status.live': 'Live', 'status.reconnecting': 'Reconnecting…',
    'login.title': 'Log in', 'login.email': 'Email address', 'login.password': 'Password',
    'login.submit': 'Continue', 'login.code': 'Code received by email', 'login.codeHelp': 'A 6-digit code was sent to you.',
    'login.verify': 'Log in', 'login.failed': 'Wrong address or password.', 'login.codeFailed': 'Wrong or expired code.',
    'nav.messages': 'Messages', 'nav.documents': 'Documents', 'nav.patients': 'My patients',
    'messages.title': 'Messages', 'messages.empty': 'No conversation.', 'messages.unread': '{n} unread',
    'messages.closed': 'Conversation closed', 'messages.reply': 'Reply', 'messages.send': 'Send',
    'messages.body': 'Your message', 'messages.back': 'Back to messages', 'messages.close': 'Close the conversation',
    'messages.readBy': 'Read by the recipient', 'messages.you': 'You', 'messages.attachment': 'Attachment (PDF, JPEG, PNG)',
    'documents.title': 'My documents', 'documents.empty': 'No document.', 'documents.kind': 'Kind',
    'documents.all': 'All', 'documents.download': 'Download', 'documents.hide': 'Hide from professionals',
    'documents.show': 'Show to professionals', 'documents.hidden': 'Hidden',
    'kind.prescription': 'Prescription', 'kind.lab_result': 'Lab result', 'kind.discharge_report': 'Discharge report',
    'kind.imaging_report': 'Imaging report', 'kind.vaccination_certificate': 'Vaccination certificate', 'kind.other': 'Other',
    'patients.title': 'My patients', 'patients.empty': 'No patient in your care.', 'patients.write': 'Write',
    'patients.deposit': 'Deposit a document', 'patients.subject': 'Subject', 'patients.title.field': 'Title',
    'patients.careDate': 'Date of care', 'patients.file': 'File (PDF, JPEG, PNG)', 'patients.start': 'Send the message',
    'patients.deposited': 'Document deposited.', 'patients.sent': 'Message sent.',
    'event.message.created': 'New message', 'event.document.arrived': 'New document: {kind} ({author})',
    'event.reminder.due': 'Reminder: {kind}', 'event.record.accessed': '{actor} looked at your record',
    'event.record.emergency_access': 'Emergency access to your record by {actor}',
    'event.appointment.created': 'New appointment', 'event.conversation.closed': 'Conversation closed',
    'error.generic': 'The operation failed: {detail}', 'error.network': 'The server does not answer.',
  },
};

let lang = localStorage.getItem('relais.lang') === 'en' ? 'en' : 'fr';

export function currentLang() {
  return lang;
}

export function setLang(next) {
  lang = next === 'en' ? 'en' : 'fr';
  localStorage.setItem('relais.lang', lang);
  applyTo(document);
}

/** The word for {@code key} in the current language, with {name} slots filled from {@code vars}. */
export function t(key, vars = {}) {
  const text = WORDS[lang][key] ?? WORDS.fr[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => vars[name] ?? '');
}

/** Translates the static parts of the page: data-i18n (text) and data-i18n-label (aria-label). */
export function applyTo(root) {
  document.documentElement.lang = lang;
  root.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll('[data-i18n-label]').forEach((el) => { el.setAttribute('aria-label', t(el.dataset.i18nLabel)); });
  const switcher = document.getElementById('lang');
  if (switcher) {
    switcher.textContent = t('lang.switch');
    switcher.lang = lang === 'fr' ? 'en' : 'fr';
  }
}
