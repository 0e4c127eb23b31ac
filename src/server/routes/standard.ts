// The routes every playground server has, mounted in order (app.ts adds the front end's catch-all after them).
import type { Hono } from 'hono';
import type { AppEnv, AppOptions } from '../app-options.js';
import { catalogRoutes } from './catalog.js';
import { eventRoutes } from './events.js';
import { experimentRoutes } from './experiments.js';
import { jobRoutes } from './jobs.js';
import { queryRoutes } from './query.js';
import { resultRoutes } from './results.js';
import { viewRoutes } from './views.js';

export function standardRoutes(app: Hono<AppEnv>, options: AppOptions): void {
  experimentRoutes(app, options);
  queryRoutes(app, options);
  resultRoutes(app, options);
  viewRoutes(app, options);
  eventRoutes(app, options);
  jobRoutes(app, options);
  catalogRoutes(app, options);
}
