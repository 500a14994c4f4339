/**
 * `npm start`: the HTTP API of DESIGN.md on PORT (default 3000), on one machine with no AWS
 * account. Data is in memory unless DATA_DIR names a folder; identities come from the users file
 * (LOCAL_USERS_FILE, default infra/local/local-users.json).
 *
 * Node's compile cache is turned on before anything else is loaded: it keeps the TypeScript it
 * strips and the code it compiles, which halves the time the system's modules take to load on
 * every start after the first (NODE_COMPILE_CACHE chooses the folder; default: the OS's temp).
 */
import { enableCompileCache } from 'node:module';

enableCompileCache();
await import('./serve.ts');
