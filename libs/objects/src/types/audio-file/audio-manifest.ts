/** The optional manifest of an audio zip: descriptions and DELETE rows (objects.md §17). */
export const AUDIO_MANIFEST = 'audio-files.csv';

/** The most .wav files one exported zip holds, so every exported zip is a valid upload (§17). */
export const FILES_PER_ZIP = 5000;
