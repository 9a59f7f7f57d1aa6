import { column } from '../../column';
import { defineObject } from '../../define-object';
import { name, NameSets } from '../../kinds/name-set.kind';
import { description } from '../../kinds/text.kind';

/**
 * Audio File (objects.md §17): uploaded as a zip of .wav files with an optional audio-files.csv
 * manifest, never as a bare CSV. Key: the file name, extension included.
 */
export const audioFile = defineObject({
  type: 'audio-file',
  label: 'Audio File',
  file: 'zip',
  table: 'audio_file',
  key: ['Name'],
  columns: [
    column('Name', name(NameSets.audio), {
      required: true,
      description: "File name of the prompt, ending in '.wav'; unique in the organization.",
    }),
    column('Description', description, { description: 'Free text, up to 255 characters.' }),
  ],
});
