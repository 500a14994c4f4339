import { textSearch } from '../../text-search-tool.ts';

export const searchFiles = textSearch({
  name: 'search_files',
  description:
    'Find the files of the cloud drive whose content holds the query (in any case). Returns each file with its id and content, or an empty list.',
  argument: 'query',
  holds: 'The text to search for in the files.',
  items: (world) => world.cloud_drive.initial_files,
  field: (file) => file.content,
});
