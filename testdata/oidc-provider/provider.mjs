// A real OpenID provider (the certified panva/oidc-provider package) for
// authdoctor's integration tests. Started by pkg/testkit/oidcprovider, never
// by hand in production.
//
// Usage: node provider.mjs CONFIG.json
//
// CONFIG.json (written by the Go harness, see pkg/testkit/oidcprovider):
//   host         address to listen on (loopback); the port is chosen at run time
//   issuerHost   host name written in the issuer URL (default: host)
//   tls          {cert, key}: PEM file paths; when set the issuer is https
//   jwks         private JWK Set ({keys: [...]}) the provider signs with
//   adminToken   bearer token for the /__admin/* endpoints
//   clients      oidc-provider client metadata
//   resources    {indicator: {alg, scope, ttl}}: resource servers that get
//                JWT access tokens
//   accounts     {accountId: {claim: value}}: users for the login form
//   ttl          {IdToken, AccessToken} seconds (default 3600 each)
//
// When listening, one JSON line goes to stdout: {"ready":true,"issuer":...}.
// The process exits when its stdin closes, so it never outlives the test.
//
// Admin endpoints (Authorization: Bearer <adminToken>), outside the provider:
//   POST /__admin/rotate  {jwks, staleResponses}: sign with a new key set from
//        now on; the next staleResponses requests of the JWKS endpoint still
//        get the previous public set (a lagging cache in front of the IdP).

import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';

import Provider, { errors } from 'oidc-provider';

const configPath = process.argv[2];
if (!configPath) {
  console.error('usage: node provider.mjs CONFIG.json');
  process.exit(2);
}
const config = JSON.parse(readFileSync(configPath, 'utf8'));

process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();

const ADMIN_PREFIX = '/__admin/';

function publicJWKS(jwks) {
  const privateMembers = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']);
  return {
    keys: jwks.keys.map((k) => Object.fromEntries(
      Object.entries(k).filter(([name]) => !privateMembers.has(name)),
    )),
  };
}

function buildProvider(issuer, jwks) {
  const accounts = config.accounts || {};
  const resources = config.resources || {};
  const ttl = config.ttl || {};
  const accessTTL = ttl.AccessToken || 3600;

  const provider = new Provider(issuer, {
    jwks,
    clients: config.clients,
    // Claims by scope; the extra scopes carry what Airflow/Superset map to roles.
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      groups: ['groups'],
      roles: ['roles'],
    },
    // Put the scope's claims into the ID token too (not only userinfo), as
    // Entra ID and Keycloak do for the claims FAB reads.
    conformIdTokenClaims: false,
    async findAccount(ctx, id) {
      const extra = accounts[id] || {};
      return {
        accountId: id,
        async claims() {
          return { sub: id, ...extra };
        },
      };
    },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        useGrantedResource: () => true,
        getResourceServerInfo(ctx, indicator) {
          const rs = resources[indicator];
          if (!rs) {
            throw new errors.InvalidTarget(`unknown resource ${indicator}`);
          }
          return {
            scope: rs.scope || '',
            audience: indicator,
            accessTokenTTL: rs.ttl || accessTTL,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: rs.alg || 'RS256' } },
          };
        },
      },
    },
    pkce: { required: () => true },
    ttl: {
      IdToken: ttl.IdToken || 3600,
      // A resource's own ttl wins, as in the library's defaults.
      AccessToken: (ctx, token) => token.resourceServer?.accessTokenTTL || accessTTL,
      ClientCredentials: (ctx, token) => token.resourceServer?.accessTokenTTL || accessTTL,
      AuthorizationCode: 120,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
  });
  return provider;
}

let provider;
let handler;
let publicSet;
let staleSet;
let staleLeft = 0;

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJSON(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function admin(req, res, issuer) {
  if (req.headers.authorization !== `Bearer ${config.adminToken}`) {
    sendJSON(res, 401, { error: 'unauthorized' });
    return;
  }
  const path = req.url.slice(ADMIN_PREFIX.length);
  if (req.method === 'POST' && path === 'rotate') {
    let body;
    try {
      body = JSON.parse(await readBody(req));
      const next = buildProvider(issuer, body.jwks);
      staleSet = publicSet;
      staleLeft = body.staleResponses || 0;
      provider = next;
      handler = next.callback();
      publicSet = publicJWKS(body.jwks);
    } catch (err) {
      sendJSON(res, 400, { error: String(err && err.message) });
      return;
    }
    sendJSON(res, 200, { kids: publicSet.keys.map((k) => k.kid), staleResponses: staleLeft });
    return;
  }
  sendJSON(res, 404, { error: 'no such admin endpoint' });
}

const jwksPath = '/jwks';

function listener(issuer) {
  return (req, res) => {
    if (req.url.startsWith(ADMIN_PREFIX)) {
      admin(req, res, issuer).catch((err) => sendJSON(res, 500, { error: String(err) }));
      return;
    }
    const path = req.url.split('?')[0];
    if (req.method === 'GET' && path === jwksPath && staleLeft > 0) {
      staleLeft -= 1;
      sendJSON(res, 200, staleSet);
      return;
    }
    handler(req, res);
  };
}

const server = config.tls
  ? https.createServer({ cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) })
  : http.createServer();

server.listen(0, config.host || '127.0.0.1', () => {
  const { port } = server.address();
  const scheme = config.tls ? 'https' : 'http';
  const issuer = `${scheme}://${config.issuerHost || config.host || '127.0.0.1'}:${port}`;
  provider = buildProvider(issuer, config.jwks);
  handler = provider.callback();
  publicSet = publicJWKS(config.jwks);
  server.on('request', listener(issuer));
  process.stdout.write(`${JSON.stringify({ ready: true, issuer, port })}\n`);
});
