import {
  column,
  contentColumn,
  defineObject,
  description,
  name,
  NameSets,
} from '../declaration-kit';
import { writeAudioExport, writeAudioTemplate } from './audio-export.hook';
import { readAudioUpload } from './read-audio-upload.hook';

/**
 * Audio File (objects.md §17): uploaded as a zip of .wav files with an optional audio-files.csv
 * manifest, never as a bare CSV. Key: the file name, extension included. The audio itself is
 * content: checked from its RIFF header on upload, kept in the organization's blob store by its
 * sha256, so the same bytes and description make an unchanged row.
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
  content: [
    contentColumn('sha256', 'text', {
      required: true,
      blob: true,
      description: 'SHA-256 of the WAV file, hex; names its bytes in the blob store.',
    }),
    contentColumn('sizeBytes', 'integer', {
      required: true,
      description: 'Size of the WAV file in bytes.',
    }),
    contentColumn('encoding', 'text', {
      required: true,
      description: 'MULAW, ALAW or PCM, from the fmt chunk.',
    }),
    contentColumn('sampleRate', 'integer', {
      required: true,
      description: 'Samples per second; always 8000.',
    }),
    contentColumn('channels', 'integer', { required: true, description: '1 or 2.' }),
    contentColumn('bitsPerSample', 'integer', {
      required: true,
      description: '8, or 16 for linear PCM.',
    }),
  ],
  media: {
    manifest: 'audio-files.csv',
    extension: '.wav',
    read: readAudioUpload,
    writeTemplate: writeAudioTemplate,
    writeExport: writeAudioExport,
  },
});
