/**
 * What `npm start` runs (see server.ts, which loads it with the compile cache on): the demo app;
 * POLICIES names a folder of Cedar policies (the stack's `-c policies=DIR`).
 */
import { demoApp } from './demo-app.ts';
import { serveLocal } from './serve-local.ts';

await serveLocal(demoApp(undefined, process.env.POLICIES ? { policies: process.env.POLICIES } : {}), {
  example: 'How do I return an item?',
});
