import type { INestApplication } from '@nestjs/common';
import express from 'express';
import { join } from 'node:path';
import { DASHBOARD_DIR, DASHBOARD_HEADERS } from './dashboard-files';

/**
 * Serves the dashboard's hashed assets under /assets (cached for a year: a new build has new
 * names). The page itself is the DashboardController's.
 */
export function serveDashboardAssets(app: INestApplication): void {
  app.use(
    '/assets',
    express.static(join(DASHBOARD_DIR, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      setHeaders: (response) => {
        for (const [name, value] of Object.entries(DASHBOARD_HEADERS))
          response.setHeader(name, value);
      },
    }),
  );
}
