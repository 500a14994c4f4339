/** What `npm start` runs (see server.ts, which loads it with the compile cache on): the demo app. */
import { demoApp } from './demo-app.ts';
import { serveLocal } from './serve-local.ts';

await serveLocal(demoApp(), { example: 'How do I return an item?' });
