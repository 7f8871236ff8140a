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
    'nav.agenda': 'Agenda', 'nav.profile': 'Profil médical', 'nav.access': 'Accès à mon dossier', 'nav.settings': 'Réglages',
    'agenda.title': 'Agenda', 'agenda.empty': 'Aucun rendez-vous à venir.', 'agenda.appointment': 'Rendez-vous',
    'agenda.link': 'Lien de calendrier', 'agenda.makeLink': 'Créer un lien secret', 'agenda.revoke': 'Révoquer mes liens',
    'agenda.linkHelp': 'À copier dans votre application de calendrier :', 'agenda.revoked': 'Liens révoqués.',
    'profile.title': 'Profil médical', 'profile.allergies': 'Allergies', 'profile.conditions': 'Maladies et antécédents',
    'profile.treatments': 'Traitements', 'profile.vaccinations': 'Vaccinations', 'profile.measurements': 'Mesures',
    'profile.none': 'Rien de renseigné.', 'profile.substance': 'Substance', 'profile.severity': 'Gravité',
    'profile.addAllergy': 'Ajouter une allergie', 'profile.add': 'Ajouter', 'profile.remove': 'Supprimer',
    'profile.condition': 'Maladie ou antécédent', 'profile.medicine': 'Médicament', 'profile.dose': 'Dose',
    'profile.times': 'Heures de prise (ex. 08:00, 20:00)', 'profile.vaccine': 'Vaccin', 'profile.date': 'Date',
    'profile.measure': 'Mesure', 'profile.value': 'Valeur', 'profile.systolic': 'Systolique (tension)',
    'profile.diastolic': 'Diastolique (tension)',
    'severity.mild': 'légère', 'severity.moderate': 'modérée', 'severity.severe': 'sévère',
    'measure.weight': 'Poids', 'measure.height': 'Taille', 'measure.glucose': 'Glycémie', 'measure.temperature': 'Température',
    'measure.heart_rate': 'Fréquence cardiaque', 'measure.blood_pressure': 'Tension artérielle',
    'access.title': 'Accès à mon dossier', 'access.empty': "Personne d'autre que vous n'a consulté votre dossier.",
    'access.someone': 'Un professionnel', 'access.emergency': 'accès en urgence',
    'access.record.open': 'a ouvert votre dossier', 'access.record.list': 'a consulté la liste de vos documents',
    'access.document.read': 'a lu un document', 'access.profile.read': 'a consulté votre profil médical',
    'access.profile.history': "a consulté l'historique de votre profil", 'access.profile.write': 'a modifié votre profil médical',
    'settings.title': 'Réglages', 'settings.notifications': 'Notifications par courriel', 'settings.quietHours': 'Heures calmes (ex. 22:00-08:00)',
    'settings.save': 'Enregistrer', 'settings.saved': 'Réglages enregistrés.', 'settings.blocked': 'Professionnels bloqués',
    'settings.noneBlocked': 'Aucun professionnel bloqué.', 'settings.rpps': 'Numéro RPPS du professionnel', 'settings.block': 'Bloquer',
    'settings.unblock': 'Débloquer', 'settings.closeTitle': 'Clôturer mon espace',
    'settings.closeWarning': 'Tous vos documents, messages et données seront supprimés définitivement.',
    'settings.closeConfirm': "J'ai compris que la suppression est définitive", 'settings.close': 'Clôturer mon espace',
    'settings.closeLast': 'Clôturer définitivement votre espace ?',
    'notify.live': 'Seulement en direct', 'notify.email': 'Par courriel', 'notify.digest': 'Résumé par courriel',
    'category.messages': 'Messages', 'category.documents': 'Documents', 'category.reminders': 'Rappels',
    'category.record_accesses': 'Accès à mon dossier',
    'appointment.title': 'Prendre un rendez-vous', 'appointment.startsAt': 'Début (heure de Paris)', 'appointment.minutes': 'Durée (minutes)',
    'agenda.reminders': 'Rappels à venir', 'agenda.noReminder': 'Aucun rappel prévu.',
    'reminder.appointment': 'Rendez-vous', 'reminder.vaccination': 'Vaccination', 'reminder.screening': 'Dépistage',
    'reminder.treatment': 'Prise de traitement',
    'colleague.title': 'Écrire à un confrère', 'colleague.rpps': 'Numéro RPPS du confrère',
    'appointment.place': 'Lieu', 'appointment.book': 'Créer le rendez-vous', 'appointment.booked': 'Rendez-vous créé.',
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
    'nav.agenda': 'Agenda', 'nav.profile': 'Medical profile', 'nav.access': 'Access to my record', 'nav.settings': 'Settings',
    'agenda.title': 'Agenda', 'agenda.empty': 'No upcoming appointment.', 'agenda.appointment': 'Appointment',
    'agenda.link': 'Calendar link', 'agenda.makeLink': 'Make a secret link', 'agenda.revoke': 'Revoke my links',
    'agenda.linkHelp': 'Copy it into your calendar application:', 'agenda.revoked': 'Links revoked.',
    'profile.title': 'Medical profile', 'profile.allergies': 'Allergies', 'profile.conditions': 'Conditions and history',
    'profile.treatments': 'Treatments', 'profile.vaccinations': 'Vaccinations', 'profile.measurements': 'Measurements',
    'profile.none': 'Nothing recorded.', 'profile.substance': 'Substance', 'profile.severity': 'Severity',
    'profile.addAllergy': 'Add an allergy', 'profile.add': 'Add', 'profile.remove': 'Remove',
    'profile.condition': 'Condition or history', 'profile.medicine': 'Medicine', 'profile.dose': 'Dose',
    'profile.times': 'Times to take it (e.g. 08:00, 20:00)', 'profile.vaccine': 'Vaccine', 'profile.date': 'Date',
    'profile.measure': 'Measurement', 'profile.value': 'Value', 'profile.systolic': 'Systolic (blood pressure)',
    'profile.diastolic': 'Diastolic (blood pressure)',
    'severity.mild': 'mild', 'severity.moderate': 'moderate', 'severity.severe': 'severe',
    'measure.weight': 'Weight', 'measure.height': 'Height', 'measure.glucose': 'Blood sugar', 'measure.temperature': 'Temperature',
    'measure.heart_rate': 'Heart rate', 'measure.blood_pressure': 'Blood pressure',
    'access.title': 'Access to my record', 'access.empty': 'Nobody but you has looked at your record.',
    'access.someone': 'A professional', 'access.emergency': 'emergency access',
    'access.record.open': 'opened your record', 'access.record.list': 'looked at the list of your documents',
    'access.document.read': 'read a document', 'access.profile.read': 'looked at your medical profile',
    'access.profile.history': 'looked at the history of your profile', 'access.profile.write': 'changed your medical profile',
    'settings.title': 'Settings', 'settings.notifications': 'Email notifications', 'settings.quietHours': 'Quiet hours (e.g. 22:00-08:00)',
    'settings.save': 'Save', 'settings.saved': 'Settings saved.', 'settings.blocked': 'Blocked professionals',
    'settings.noneBlocked': 'No professional blocked.', 'settings.rpps': "The professional's RPPS number", 'settings.block': 'Block',
    'settings.unblock': 'Unblock', 'settings.closeTitle': 'Close my space',
    'settings.closeWarning': 'All your documents, messages and data will be deleted for good.',
    'settings.closeConfirm': 'I understand that the deletion is final', 'settings.close': 'Close my space',
    'settings.closeLast': 'Close your space for good?',
    'notify.live': 'Live only', 'notify.email': 'By email', 'notify.digest': 'Email digest',
    'category.messages': 'Messages', 'category.documents': 'Documents', 'category.reminders': 'Reminders',
    'category.record_accesses': 'Access to my record',
    'appointment.title': 'Book an appointment', 'appointment.startsAt': 'Start (Paris time)', 'appointment.minutes': 'Length (minutes)',
    'agenda.reminders': 'Upcoming reminders', 'agenda.noReminder': 'No reminder planned.',
    'reminder.appointment': 'Appointment', 'reminder.vaccination': 'Vaccination', 'reminder.screening': 'Screening',
    'reminder.treatment': 'Treatment to take',
    'colleague.title': 'Write to a colleague', 'colleague.rpps': "The colleague's RPPS number",
    'appointment.place': 'Place', 'appointment.book': 'Book the appointment', 'appointment.booked': 'Appointment booked.',
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
