import { join } from 'node:path';
import type { Suite } from '../../harness/suite.ts';
import { vectorDefaults } from '../../harness/load-world.ts';
import { bankingAdaptiveTasks } from './adaptive-tasks.ts';
import { bankingInjectionTasks } from './injection-tasks.ts';
import { bankingUserTasks } from './user-tasks.ts';
import { bankingWorld, type BankingWorld } from './world.ts';
import { getBalance } from './tools/get-balance/tool.ts';
import { getIban } from './tools/get-iban/tool.ts';
import { getMostRecentTransactions } from './tools/get-most-recent-transactions/tool.ts';
import { getScheduledTransactions } from './tools/get-scheduled-transactions/tool.ts';
import { getUserInfo } from './tools/get-user-info/tool.ts';
import { readFile } from './tools/read-file/tool.ts';
import { scheduleTransaction } from './tools/schedule-transaction/tool.ts';
import { sendMoney } from './tools/send-money/tool.ts';
import { updatePassword } from './tools/update-password/tool.ts';
import { updateScheduledTransaction } from './tools/update-scheduled-transaction/tool.ts';
import { updateUserInfo } from './tools/update-user-info/tool.ts';

/** AgentDojo's banking suite: Emma Johnson's account, 16 user tasks, 9 injection tasks. */
export const bankingSuite: Suite<BankingWorld> = {
  name: 'banking',
  tools: [
    getIban,
    sendMoney,
    scheduleTransaction,
    updateScheduledTransaction,
    getBalance,
    getMostRecentTransactions,
    getScheduledTransactions,
    readFile,
    getUserInfo,
    updatePassword,
    updateUserInfo,
  ],
  toolsDir: join(import.meta.dirname, 'tools'),
  policiesDir: join(import.meta.dirname, 'policies'),
  world: bankingWorld,
  vectorDefaults: vectorDefaults('banking'),
  userTasks: bankingUserTasks,
  injectionTasks: bankingInjectionTasks,
  adaptiveTasks: bankingAdaptiveTasks,
};
