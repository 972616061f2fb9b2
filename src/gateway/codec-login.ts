import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { codecSessionCookie, issueCodecSession } from './codec-session';
import { tokenMatches } from './shopimind-signature';

export interface CodecLoginOptions {
  token: string;
  /** The Web UIs the signed-in browser may decode from, linked on the page. */
  corsOrigins: readonly string[];
  sessionTtlMs: number;
  now: () => number;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function page(reply: FastifyReply, status: number, body: string) {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    )
    .send(
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Codec endpoint sign-in</title>' +
        '<style>body{font:16px system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem}' +
        'input{font:inherit;width:100%;margin:.5rem 0}</style></head><body>' +
        `<h1>Payload codec endpoint</h1>${body}</body></html>`,
    );
}

const signInForm = (error?: string) =>
  (error ? `<p role="alert"><strong>${escapeHtml(error)}</strong></p>` : '') +
  '<form method="post" action="/codec/login"><label for="token">Codec token (<code>GATEWAY_CODEC_TOKEN</code>)</label>' +
  '<input id="token" name="token" type="password" autocomplete="off" required autofocus>' +
  '<button type="submit">Sign in</button></form>' +
  '<p>This browser then keeps a session cookie, sent only to <code>/codec</code> on this host, so a Temporal Web UI ' +
  'on the same host with "Include cross-origin credentials" shows decoded payloads.</p>';

/**
 * `GET /codec/login` (a form), `POST /codec/login` and `POST /codec/logout`: the Temporal Web UI cannot send a
 * bearer token of its own, so an operator signs this browser in once and the UI's requests carry the cookie.
 */
export function registerCodecLogin(app: FastifyInstance, options: CodecLoginOptions): void {
  const secure = (request: FastifyRequest) =>
    request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';

  app.get('/codec/login', async (_request, reply) => page(reply, 200, signInForm()));

  app.post('/codec/login', async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
    const token = new URLSearchParams(raw).get('token')?.trim();
    if (!tokenMatches(token, options.token)) return page(reply, 401, signInForm('That is not the codec token.'));
    const expiresAt = options.now() + options.sessionTtlMs;
    const cookie = issueCodecSession(options.token, expiresAt);
    reply.header('set-cookie', codecSessionCookie(cookie, Math.floor(options.sessionTtlMs / 1000), secure(request)));
    const links = options.corsOrigins.map(
      (origin) => `<li><a href="${escapeHtml(origin)}">${escapeHtml(origin)}</a></li>`,
    );
    return page(
      reply,
      200,
      `<p>Signed in until ${new Date(expiresAt).toISOString()}.</p>` +
        (links.length ? `<p>Web UIs allowed to decode:</p><ul>${links.join('')}</ul>` : '') +
        '<form method="post" action="/codec/logout"><button type="submit">Sign out</button></form>',
    );
  });

  app.post('/codec/logout', async (request, reply) => {
    reply.header('set-cookie', codecSessionCookie('', 0, secure(request)));
    return page(reply, 200, `<p>Signed out.</p>${signInForm()}`);
  });
}
