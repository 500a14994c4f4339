import { contactsOf } from '../../../office/mailbox.ts';
import { textSearch } from '../../text-search-tool.ts';

export const searchContactsByName = textSearch({
  name: 'search_contacts_by_name',
  description:
    "Find the contacts whose name holds the query (in any case). Returns each contact's name and email address, or an empty list.",
  argument: 'query',
  holds: 'The name to search for.',
  items: (world) => contactsOf(world.inbox),
  field: (contact) => contact.name,
});
