import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config';

const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), GATEWAY_SECRET: 'g'.repeat(32) };

describe('configuration', () => {
  test('a bad value stops start-up with a message naming the variable', () => {
    assert.throws(
      () => loadConfig({ RENDERER: 'vulkan' }),
      (e: Error) => e instanceof ConfigError && /RENDERER must be gl, chromium; got "vulkan"/.test(e.message),
    );
    assert.throws(() => loadConfig({ S3_BUCKET: 'b', S3_FORCE_PATH_STYLE: 'yes' }), /S3_FORCE_PATH_STYLE must be true, false/);
    assert.throws(() => loadConfig({ S3_BUCKET: 'b', S3_ENDPOINT: 'minio:9000' }), /S3_ENDPOINT/);
  });

  test('the reconciler runs every 30 s unless RECONCILE_INTERVAL_MS says otherwise (500 ms to 24 h)', () => {
    assert.equal(loadConfig({}).reconcileIntervalMs, 30_000);
    assert.equal(loadConfig({ RECONCILE_INTERVAL_MS: '1000' }).reconcileIntervalMs, 1000);
    assert.throws(
      () => loadConfig({ RECONCILE_INTERVAL_MS: '100' }),
      /RECONCILE_INTERVAL_MS must be an integer from 500 to 86400000, got "100"/,
    );
    assert.throws(() => loadConfig({ RECONCILE_INTERVAL_MS: '30s' }), /RECONCILE_INTERVAL_MS must be an integer/);
  });

  test('tokens must carry exp unless JWT_MAX_AGE_SECONDS (60 s to 366 days) bounds their age from iat', () => {
    assert.equal(loadConfig({}).jwt.maxAgeSeconds, null);
    assert.equal(loadConfig({ JWT_MAX_AGE_SECONDS: '3600' }).jwt.maxAgeSeconds, 3600);
    assert.throws(() => loadConfig({ JWT_MAX_AGE_SECONDS: '10' }), /JWT_MAX_AGE_SECONDS must be an integer from 60 to 31622400, got "10"/);
    assert.throws(() => loadConfig({ JWT_MAX_AGE_SECONDS: '1h' }), /JWT_MAX_AGE_SECONDS must be an integer/);
  });

  test('renderer: gl unless RENDERER=chromium', () => {
    assert.equal(loadConfig({}).renderer.preferred, 'gl');
    const { preferred, chromiumPath } = loadConfig({ RENDERER: 'chromium', CHROMIUM_PATH: '/opt/chrome' }).renderer;
    assert.deepEqual(
      { preferred, chromiumPath },
      {
        preferred: 'chromium',
        chromiumPath: '/opt/chrome',
      },
    );
  });

  test("asset fetches: the avatar and catalog subgraphs' origins unless ASSET_ORIGINS, IMAGE background origins too; bad values stop start-up", () => {
    const subgraphs = { AVATAR_SUBGRAPH_URL: 'http://127.0.0.1:5002/graphql', CATALOG_SUBGRAPH_URL: 'http://127.0.0.1:5003/graphql' };
    assert.deepEqual(loadConfig(subgraphs).renderer.assets, {
      origins: ['http://127.0.0.1:5002', 'http://127.0.0.1:5003'],
      privateOrigins: ['http://127.0.0.1:5002', 'http://127.0.0.1:5003'],
      timeoutMs: 15_000,
      maxBytes: 64 * 1024 * 1024,
    });
    const set = loadConfig({
      ...subgraphs,
      ASSET_ORIGINS: 'https://cdn.example.com/models/, http://127.0.0.1:5003',
      ASSET_PRIVATE_ORIGINS: 'http://127.0.0.1:5003',
      RENDER_IMAGE_ORIGINS: 'https://images.example.com,https://cdn.example.com',
      ASSET_TIMEOUT_MS: '2000',
      ASSET_MAX_BYTES: '1048576',
    }).renderer.assets;
    assert.deepEqual(set, {
      origins: ['https://cdn.example.com', 'http://127.0.0.1:5003', 'https://images.example.com'],
      privateOrigins: ['http://127.0.0.1:5003'],
      timeoutMs: 2000,
      maxBytes: 1_048_576,
    });
    assert.throws(
      () => loadConfig({ ASSET_ORIGINS: 'ftp://files.example.com' }),
      /ASSET_ORIGINS must be a comma-separated list of http\(s\) origins/,
    );
    assert.throws(() => loadConfig({ ASSET_PRIVATE_ORIGINS: 'catalog:4003' }), /ASSET_PRIVATE_ORIGINS must be/);
    assert.throws(() => loadConfig({ ASSET_MAX_BYTES: '-1' }), /ASSET_MAX_BYTES must be an integer/);
    assert.throws(() => loadConfig({ ASSET_TIMEOUT_MS: 'soon' }), /ASSET_TIMEOUT_MS must be an integer/);
  });

  test('files: local unless S3_BUCKET; an endpoint implies path-style addressing', () => {
    assert.equal(loadConfig({}).files.s3, null);
    assert.deepEqual(loadConfig({ S3_BUCKET: 'designs', AWS_REGION: 'eu-west-1' }).files.s3, {
      bucket: 'designs',
      region: 'eu-west-1',
      endpoint: null,
      forcePathStyle: false,
      prefix: '',
    });
    assert.deepEqual(loadConfig({ S3_BUCKET: 'designs', S3_ENDPOINT: 'http://minio:9000', S3_PREFIX: 'prod/' }).files.s3, {
      bucket: 'designs',
      region: 'us-east-1',
      endpoint: 'http://minio:9000',
      forcePathStyle: true,
      prefix: 'prod/',
    });
  });

  test('production needs FILE_URL_SECRET for local files, not for S3 (which presigns its own links)', () => {
    assert.throws(() => loadConfig(production), /FILE_URL_SECRET must be set/);
    assert.equal(loadConfig({ ...production, FILE_URL_SECRET: 's'.repeat(32) }).files.urlSecret, 's'.repeat(32));
    assert.equal(loadConfig({ ...production, S3_BUCKET: 'designs' }).files.s3?.bucket, 'designs');
  });

  test('production hides the schema and needs GATEWAY_SECRET; the operation and rate limits have defaults and bounds', () => {
    const { GATEWAY_SECRET: _secret, ...withoutGatewaySecret } = production;
    assert.throws(() => loadConfig({ ...withoutGatewaySecret, FILE_URL_SECRET: 's'.repeat(32) }), /GATEWAY_SECRET must be set/);
    const prod = loadConfig({ ...production, FILE_URL_SECRET: 's'.repeat(32) });
    assert.deepEqual([prod.introspection, prod.gatewaySecret], [false, 'g'.repeat(32)]);
    assert.equal(loadConfig({ ...production, FILE_URL_SECRET: 's'.repeat(32), GRAPHQL_INTROSPECTION: 'true' }).introspection, true);
    const dev = loadConfig({});
    assert.deepEqual([dev.introspection, dev.gatewaySecret], [true, null]);
    assert.deepEqual(dev.queryLimits, {
      maxDepth: 12,
      maxAliases: 30,
      maxDirectives: 20,
      maxTokens: 3000,
      maxCost: 500_000,
      layerBound: 500,
      listBound: 100,
    });
    assert.deepEqual(dev.rateLimits, {
      enabled: true,
      reads: 1000,
      anonymousReads: 500,
      mutations: 300,
      renders: { free: 10, pro: 60, enterprise: 300 },
    });
    assert.equal(loadConfig({ RATE_LIMITS: 'false' }).rateLimits.enabled, false);
    assert.throws(() => loadConfig({ QUERY_MAX_DEPTH: '1' }), /QUERY_MAX_DEPTH must be an integer from 2/);
    assert.throws(() => loadConfig({ RATE_LIMIT_READS: '0' }), /RATE_LIMIT_READS must be an integer/);
    assert.throws(() => loadConfig({ WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: 'many' }), /WS_MAX_SUBSCRIPTIONS_PER_CONNECTION/);
  });

  test('shutdown: 10 s in all, of which the drain delay (0 by default) is a part and must be shorter', () => {
    const defaults = loadConfig({});
    assert.deepEqual([defaults.shutdownTimeoutMs, defaults.shutdownDrainDelayMs], [10_000, 0]);
    assert.equal(loadConfig({ SHUTDOWN_DRAIN_DELAY_MS: '5000' }).shutdownDrainDelayMs, 5000);
    assert.throws(
      () => loadConfig({ SHUTDOWN_TIMEOUT_MS: '3000', SHUTDOWN_DRAIN_DELAY_MS: '3000' }),
      /SHUTDOWN_DRAIN_DELAY_MS \(3000\) must be shorter than SHUTDOWN_TIMEOUT_MS \(3000\)/,
    );
  });

  test('a new PostgreSQL connection is waited for 3 s unless DATABASE_CONNECT_TIMEOUT_MS says otherwise (100 ms to 60 s)', () => {
    assert.equal(loadConfig({}).databaseConnectTimeoutMs, 3000);
    assert.equal(loadConfig({ DATABASE_CONNECT_TIMEOUT_MS: '500' }).databaseConnectTimeoutMs, 500);
    assert.throws(
      () => loadConfig({ DATABASE_CONNECT_TIMEOUT_MS: '0' }),
      /DATABASE_CONNECT_TIMEOUT_MS must be an integer from 100 to 60000/,
    );
  });

  test('e-mail: off without SMTP_URL (smtp: or smtps:); MAIL_FROM an address; production with SMTP_URL needs MAIL_FROM and APP_URL', () => {
    const off = loadConfig({});
    assert.equal(off.mail.smtpUrl, null);
    assert.equal(off.appUrl, 'http://127.0.0.1:4005');
    assert.equal(off.usersSubgraphUrl, 'http://127.0.0.1:4004/graphql');
    assert.equal(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.com:465' }).mail.smtpUrl, 'smtps://u:p@mail.example.com:465');
    assert.throws(() => loadConfig({ SMTP_URL: 'http://mail.example.com' }), /SMTP_URL must use smtp: or smtps:/);
    assert.equal(loadConfig({ MAIL_FROM: 'Studio <studio@example.com>' }).mail.from, 'Studio <studio@example.com>');
    assert.throws(() => loadConfig({ MAIL_FROM: 'studio' }), /MAIL_FROM must be an address/);
    assert.throws(() => loadConfig({ MAIL_FROM: 'a@b.c>\r\nBcc: x@y.z' }), /MAIL_FROM must be an address/);
    assert.equal(loadConfig({ APP_URL: 'https://studio.example.com/' }).appUrl, 'https://studio.example.com');
    const secrets = { ...production, FILE_URL_SECRET: 's'.repeat(32), SMTP_URL: 'smtp://mail.example.com' };
    assert.throws(() => loadConfig(secrets), /MAIL_FROM must be set when NODE_ENV=production and SMTP_URL is set/);
    assert.throws(() => loadConfig({ ...secrets, MAIL_FROM: 'a@example.com' }), /APP_URL must be set/);
    assert.equal(loadConfig({ ...secrets, MAIL_FROM: 'a@example.com', APP_URL: 'https://studio.example.com' }).mail.from, 'a@example.com');
  });
});
