import { contactsOf } from '../../../office/mailbox.ts';
import { textSearch } from '../../text-search-tool.ts';

export const searchContactsByEmail = textSearch({
  name: 'search_contacts_by_email',
  description:
    "Find the contacts whose email address holds the query (in any case). Returns each contact's name and address, or an empty list.",
  argument: 'query',
  holds: 'The email address, or part of it, to search for.',
  items: (world) => contactsOf(world.inbox),
  field: (contact) => contact.email,
});
