import { textSearch } from '../../text-search-tool.ts';

export const searchFilesByFilename = textSearch({
  name: 'search_files_by_filename',
  description:
    'Find the files of the cloud drive whose filename holds the given name (in any case). Returns each file with its id and content.',
  argument: 'filename',
  holds: 'The filename, or part of it.',
  items: (world) => world.cloud_drive.initial_files,
  field: (file) => file.filename,
});
