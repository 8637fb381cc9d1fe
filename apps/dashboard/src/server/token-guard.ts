import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/**
 * Hono middleware that lets a request through only when it carries `token`: as
 * `authorization: Bearer <token>`, as `x-omnitrain-token: <token>`, or as `?token=<token>` (the
 * form a browser's EventSource and the page URL can carry). Without a token configured, every
 * request passes.
 *
 * @example
 * app.use('*', tokenGuard(process.env.OMNITRAIN_DASHBOARD_TOKEN));
 */
export function tokenGuard(token: string | undefined): MiddlewareHandler {
  const expected = token === undefined ? undefined : Buffer.from(token);
  return async (c, next) => {
    if (expected === undefined) return next();
    const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const given = bearer ?? c.req.header('x-omnitrain-token') ?? c.req.query('token') ?? '';
    const buffer = Buffer.from(given);
    if (buffer.length === expected.length && timingSafeEqual(buffer, expected)) return next();
    return c.json(
      {
        error: `dashboard: expected the dashboard token, got ${given === '' ? 'none' : 'a wrong one'}`,
        hint: 'send it as "authorization: Bearer <token>", "x-omnitrain-token", or ?token=<token> (open the URL the dashboard printed)',
      },
      401,
    );
  };
}
