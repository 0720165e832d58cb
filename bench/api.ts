import { DEVELOPMENT_JWT_SECRET } from '../src/config';
import { runBench, withBenchStack } from './bench-stack';
import { cpuMeter } from './api/cpu';
import { startPostGraphile } from './api/postgraphile';
import { measureReads } from './api/reads';
import { checkTargets, describeMachine, othersCpuOver, save, tables, type Results } from './api/report';
import { LAYERS_PER_ADD_TARGET, measureWrites } from './api/writes';
import { seed } from './api/seed';
import { loadAverage, readSettings, waitForQuiet } from './api/settings';

/**
 * npm run bench:api — issue 12: our design read against PostGraphile 4.14 on the same database (1, 16
 * and 64 connections, 200 req/s offered, a 200-layer design, and ours through the gateway), SQL
 * statements per read, then updateLayer (16 designs, one design), addLayer and createDesign. Prints the
 * figures beside the targets; writes bench/results/<date>.json and the table in bench/README.md.
 * Measures only: nothing here is asserted on timing. Options: --seconds (BENCH_SECONDS), --warmup,
 * --wait, --label, --no-save, --only reads|writes (see api/settings.ts).
 */
const DATABASE_POOL_SIZE = 20;

async function main() {
  const settings = readSettings();
  const start = settings.waitSeconds > 0 ? await waitForQuiet(settings.idleLoad, settings.waitSeconds) : loadAverage();
  await withBenchStack(
    async (stack, bench) => {
      const postgraphile = await startPostGraphile(bench.databaseUrl, DATABASE_POOL_SIZE);
      bench.defer(() => postgraphile.stop());
      console.log(`stack and PostGraphile 4.14 up (design ${stack.urls.design}, PostGraphile ${postgraphile.url}); seeding`);
      // Enough designs for addLayer at 2,500/s through the warm-up and the run.
      const addDesignsPerEditor = Math.ceil(((settings.seconds + settings.warmupSeconds + 2) * 2500) / 16 / LAYERS_PER_ADD_TARGET);
      const data = await seed(stack.urls.design, { addDesignsPerEditor });
      const measuring = loadAverage();
      const meter = await cpuMeter(bench.databaseUrl);
      bench.defer(() => meter.close());
      console.log("reads ([others n% CPU]: the machine's CPU that processes other than the bench's used during the run):");
      const urls = { design: stack.urls.design, gateway: stack.urls.gateway, postgraphile: postgraphile.url };
      if (settings.only === 'writes') return void (await measureWrites(stack.urls.design, data, settings, meter));
      const reads = await measureReads(urls, data, settings, meter);
      if (settings.only === 'reads') return;
      console.log('writes:');
      const writes = await measureWrites(stack.urls.design, data, settings, meter);
      const results: Results = {
        date: new Date().toISOString().slice(0, 10),
        label: settings.label,
        machine: await describeMachine(bench.databaseUrl, { start, measuring, end: loadAverage() }, othersCpuOver(reads, writes)),
        settings,
        reads,
        writes,
        targets: checkTargets(reads, writes),
      };
      const { console: table, markdown } = tables(results);
      console.log(`\n${table}`);
      if (settings.save) console.log(`\nresults: ${await save(results, markdown)} and bench/README.md`);
    },
    // As deployed (graphql-js, Apollo Server and express do less per request in production), as PostGraphile runs too.
    {
      NODE_ENV: 'production',
      // A new database: as deployed, npm run migrate would have run first.
      MIGRATE_ON_START: 'true',
      FILE_URL_SECRET: `${DEVELOPMENT_JWT_SECRET}-files`,
      RATE_LIMITS: 'false',
      DATABASE_POOL_SIZE: String(DATABASE_POOL_SIZE),
    },
  );
}

runBench(main);
