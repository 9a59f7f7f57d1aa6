import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ErrorCode, Role } from '@bulkops/contracts';
import { reasonPhrase } from '../errors/error-status';
import { AdminSessions, sessionIdOf } from './admin-sessions';
import { QUEUE_BOARD_PATH, QueueBoard } from './queue-board';

/** The board's pages load only their own scripts; its markup uses inline style attributes. */
const BOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'self'; form-action 'none'; frame-ancestors 'none'";

function refuse(response: Response, status: number, code: ErrorCode, message: string): void {
  response
    .status(status)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ statusCode: status, error: reasonPhrase(status), message, code }));
}

/**
 * Mounts Bull Board at /admin/queues behind the queue-board session (see AdminSessions): a browser
 * without one is sent to the dashboard, which opens a session with its token and comes back; an API
 * client gets 401; a session whose token is not an admin's gets 403.
 */
export function serveQueueBoard(app: INestApplication): void {
  const board = app.get(QueueBoard);
  const sessions = app.get(AdminSessions);
  const authorize = async (request: Request, response: Response, next: NextFunction) => {
    const principal = await sessions.principalOf(sessionIdOf(request.headers.cookie));
    if (!principal) {
      if (request.method === 'GET' && request.accepts(['json', 'html']) === 'html') {
        response.redirect(303, '/#/queues');
        return;
      }
      refuse(
        response,
        401,
        ErrorCode.Unauthorized,
        'The queue board needs an admin session: open it from the dashboard (Queues), which signs you in with your token.',
      );
      return;
    }
    if (principal.role !== Role.Admin) {
      refuse(
        response,
        403,
        ErrorCode.Forbidden,
        `A ${principal.role} token may not open the queue board; it needs the admin role.`,
      );
      return;
    }
    await board.discover();
    response.setHeader('Content-Security-Policy', BOARD_CSP);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    next();
  };
  app.use(QUEUE_BOARD_PATH, (request: Request, response: Response, next: NextFunction) => {
    authorize(request, response, next).catch(next);
  });
  app.use(QUEUE_BOARD_PATH, board.router);
}
