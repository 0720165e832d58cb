import { parseArgs } from 'node:util';
import { signDevelopmentToken } from '../src/auth/tokens';
import { TIERS } from '../src/domain/tier';
import { ConfigError, loadConfig } from '../src/config';
import { type Tier } from '../src/domain/tier';

/** Prints a development JWT: npm run token -- --user <uuid> --tier pro */
async function main() {
  const { values } = parseArgs({
    options: { user: { type: 'string' }, tier: { type: 'string', default: 'free' }, expires: { type: 'string', default: '12h' } },
  });
  const config = loadConfig();
  if (!config.jwt.secret) throw new ConfigError('JWT_SECRET is not set: tokens for JWKS keys come from the identity provider');
  if (!values.user || !/^[0-9a-f-]{36}$/i.test(values.user)) throw new ConfigError('--user must be a UUID');
  if (!TIERS.includes(values.tier as Tier)) throw new ConfigError(`--tier must be one of ${TIERS.join(', ')}`);
  process.stdout.write(`${await signDevelopmentToken(config.jwt.secret, values.user, values.tier as Tier, values.expires)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
