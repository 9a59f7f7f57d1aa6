import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { BulkopsError, ErrorCode } from '@bulkops/contracts';
import { DASHBOARD_DIR, DASHBOARD_HEADERS, dashboardBuilt } from './dashboard-files';

/**
 * `GET /`: the operations dashboard, a single page that asks for a token and keeps it in the
 * browser session (spec/api.md "Operations endpoints"). Its routes live after `#`, so this is the
 * only page the gateway serves.
 */
@ApiExcludeController()
@Controller()
export class DashboardController {
  @Get(['', 'index.html'])
  page(@Res() response: Response): void {
    this.send(response, 'index.html', 'no-cache');
  }

  @Get('favicon.svg')
  icon(@Res() response: Response): void {
    this.send(response, 'favicon.svg', 'public, max-age=86400');
  }

  private send(response: Response, file: string, cacheControl: string): void {
    if (!dashboardBuilt()) {
      throw new BulkopsError(
        ErrorCode.NotFound,
        'The dashboard has not been built; run `npm run build` (npm start does it) and reload.',
      );
    }
    for (const [name, value] of Object.entries(DASHBOARD_HEADERS)) response.setHeader(name, value);
    response.setHeader('Cache-Control', cacheControl);
    response.sendFile(file, { root: DASHBOARD_DIR });
  }
}
