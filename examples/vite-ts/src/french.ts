import type { RecordingStatusElement } from 'recording-status';

/** The element in French: a partial table over the English one (a key that does not exist fails tsc). */
export function inFrench(widget: RecordingStatusElement): void {
  widget.strings = {
    stepsLabelNamed: '{label} : progression de l’enregistrement',
    stepInvoked: 'Demandé',
    stepRecording: 'Enregistrement',
    stepUploading: 'Envoi',
    stepUploaded: 'Prêt',
    stateComplete: 'terminé',
    stateCurrent: 'en cours',
    stateUpcoming: 'à venir',
    stateFailed: 'échoué',
    describeUploaded: 'L’enregistrement est prêt.',
    announceNamed: 'Enregistrement {label} : {status}',
    statusUploaded: 'prêt',
    download: 'Télécharger l’enregistrement',
    downloadExpires: 'Le lien expire {time}',
  };
  console.log(Object.keys(widget.strings)); // every key, defaults merged with overrides
}
