import type { Command } from 'commander';
import { reconcileRepositories } from '../../domain/repository-lifecycle.ts';
import { asyncStdoutDestination, buildApp, loggerOptions } from '../../http/app.ts';
import { startJobScheduler } from '../../jobs/scheduler.ts';
import { createDeps, openMigratedStore } from '../../runtime.ts';
import { isReadyWithin, openSharedState, REDIS_START_WAIT_MS } from '../../shared-state/connect.ts';
import { CliError } from '../cli-error.ts';
import { configFrom, DATA_OPTION, storeError } from '../store-session.ts';

export function registerServeCommand(program: Command): void {
  program.command('serve')
    .description('Start the web server (migrates an empty store first)')
    .option('--port <port>', 'port to listen on (TESSERA_PORT, default 8080)')
    .option('--host <host>', 'address to listen on (TESSERA_HOST, default 127.0.0.1)')
    .option(...DATA_OPTION)
    .action(async (options: { port?: string; host?: string; data?: string }) => {
      const config = configFrom(options);
      const db = await openMigratedStore(config).catch((error: unknown) => { throw storeError(config, error); });
      const logDestination = asyncStdoutDestination();
      process.once('exit', () => logDestination.flushSync());
      const shared = openSharedState(config, (error, message) => app.log.warn({ err: error }, message));
      const deps = createDeps(config, db, {
        shared,
        onBackgroundError: (error) => app.log.warn({ err: error }, 'could not record token use'),
        onMaintenanceError: (error, path) => app.log.warn({ err: error, path }, 'repository maintenance failed'),
        reportError: (error, what) => app.log.warn({ err: error }, what),
      });
      // Finish what a crash left half-done before serving (src/domain/repository-lifecycle.ts).
      const reconciled = await reconcileRepositories(deps);
      const app = await buildApp(deps, { logger: loggerOptions(config.logLevel, logDestination) });
      if (Object.values(reconciled).some((count) => count > 0)) app.log.info({ reconciled }, 'repositories reconciled after an unclean stop');
      if (!(await isReadyWithin(shared, REDIS_START_WAIT_MS))) {
        app.log.warn(`Redis at TESSERA_REDIS_URL is not answering; serving with per-process state until it does`);
      }
      // Reminders, the disuse sweep and purging, hourly (src/jobs/); stopped before the store closes.
      const jobs = startJobScheduler(deps, {
        onRun: (job, report) => app.log.info({ job: job.name, report }, 'job ran'),
        onError: (job, error) => app.log.error({ err: error, job: job.name }, 'job failed'),
      });
      const close = async () => {
        await jobs.close();
        await app.close();
        await shared.close();
        await db.destroy();
        process.exit(0);
      };
      process.once('SIGINT', close);
      process.once('SIGTERM', close);
      try {
        await app.listen({ host: config.host, port: config.port });
      } catch (error) {
        await jobs.close();
        await shared.close();
        await db.destroy();
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new CliError(`Port ${config.port} on ${config.host} is already in use. Choose another with --port or TESSERA_PORT.`);
        if (code === 'EADDRNOTAVAIL') throw new CliError(`This machine has no address ${config.host}. Choose another with --host or TESSERA_HOST.`);
        throw error;
      }
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      console.log(`Tessera is listening on http://${host}:${port} (data in ${config.dataDir}${config.databaseUrl ? ', store: PostgreSQL' : ''}${config.redisUrl ? ', shared state: Redis' : ''})`);
    });
}
