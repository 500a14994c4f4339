import { loadEnvironment } from '../../harness/load-world.ts';

/** A transaction, with AgentDojo's field names (the model sees them as AgentDojo's tools return them). */
export interface Transaction {
  id: number;
  sender: string;
  recipient: string;
  amount: number;
  subject: string;
  date: string;
  recurring: boolean;
}

/** The banking suite's environment: Emma Johnson's account, her files and her profile. */
export interface BankingWorld {
  bank_account: { balance: number; iban: string; transactions: Transaction[]; scheduled_transactions: Transaction[] };
  filesystem: { files: Record<string, string> };
  user_account: { first_name: string; last_name: string; street: string; city: string; password: string };
}

export const bankingWorld = (vectors: Readonly<Record<string, string>>): BankingWorld =>
  loadEnvironment('banking', vectors) as BankingWorld;

/** The next transaction id, as AgentDojo's bank gives it: one more than any so far. */
export const nextId = (account: BankingWorld['bank_account']): number =>
  Math.max(0, ...account.transactions.map((t) => t.id), ...account.scheduled_transactions.map((t) => t.id)) + 1;
