import type { Services } from '../../compose.js';
import { directoryRoutes } from './directory.js';
import { evidenceRoutes } from './evidence.js';
import { needRoutes } from './needs.js';
import { reviewRoutes } from './reviews.js';
import { impactRoutes } from './impact.js';

/** Every JSON API route: registered under /api and described by /api/openapi.json from this one list. */
export const apiRoutes = (services: Services) => [...directoryRoutes(services), ...needRoutes(services), ...evidenceRoutes(services), ...reviewRoutes(services), ...impactRoutes(services)];
