import type { Command } from 'commander';
import { reconcileRepositories } from '../../domain/repository-lifecycle.ts';
import { listeningUrl } from '../../config/config.ts';
import { asyncStdoutDestination, buildApp, createLogger } from '../../http/app.ts';
import { startJobScheduler } from '../../jobs/scheduler.ts';
import { createDeps, openMigratedStore } from '../../runtime.ts';
import { isReadyWithin, openSharedState, REDIS_START_WAIT_MS } from '../../shared-state/connect.ts';
import { CliError } from '../cli-error.ts';
import { writeServerRecord } from '../server-record.ts';
import { readTlsFiles } from '../tls-files.ts';
import { configFrom, DATA_OPTION, storeError } from '../store-session.ts';

export function registerServeCommand(program: Command): void {
  program.command('serve')
    .description('Start the web server (migrates an empty store first)')
    .option('--port <port>', 'port to listen on (TESSERA_PORT, default 8080)')
    .option('--host <host>', 'address to listen on (TESSERA_HOST, default 127.0.0.1)')
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (and its chain) (TESSERA_TLS_CERT)')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert (TESSERA_TLS_KEY)')
    .option(...DATA_OPTION)
    .action(async (options: { port?: string; host?: string; data?: string; tlsCert?: string; tlsKey?: string }) => {
      const config = configFrom(options);
      // Read before anything opens, so that a wrong file stops the command at once with its name.
      const https = config.tlsCert && config.tlsKey ? readTlsFiles(config.tlsCert, config.tlsKey) : undefined;
      const db = await openMigratedStore(config).catch((error: unknown) => { throw storeError(config, error); });
      const logDestination = asyncStdoutDestination();
      process.once('exit', () => logDestination.flushSync());
      const logger = createLogger(config.logLevel, logDestination);
      const shared = openSharedState(config, (error, message) => logger.warn({ err: error }, message));
      const deps = createDeps(config, db, {
        shared,
        onBackgroundError: (error) => logger.warn({ err: error }, 'could not record token use'),
        onMaintenanceError: (error, path) => logger.warn({ err: error, path }, 'repository maintenance failed'),
        reportError: (error, what) => logger.warn({ err: error }, what),
      });
      // Finish what a crash left half-done before serving (src/domain/repository-lifecycle.ts).
      const reconciled = await reconcileRepositories(deps);
      const app = await buildApp(deps, { logger, ...(https && { https }) });
      if (Object.values(reconciled).some((count) => count > 0)) logger.info({ reconciled }, 'repositories reconciled after an unclean stop');
      if (!(await isReadyWithin(shared, REDIS_START_WAIT_MS))) {
        logger.warn(`Redis at TESSERA_REDIS_URL is not answering; serving with per-process state until it does`);
      }
      // Reminders, the disuse sweep and purging, hourly (src/jobs/); stopped before the store closes.
      const jobs = startJobScheduler(deps, {
        onRun: (job, report) => logger.info({ job: job.name, report }, 'job ran'),
        onError: (job, error) => logger.error({ err: error, job: job.name }, 'job failed'),
      });
      let removeRecord = () => {};
      const close = async () => {
        removeRecord();
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
      const served = listeningUrl(https ? 'https' : 'http', config.host, port);
      // Without TESSERA_BASE_URL, links name the port really listened on (with --port 0, config.port is 0).
      if (config.baseUrlSource === 'default') deps.config.baseUrl = served;
      try {
        removeRecord = writeServerRecord(config.dataDir, deps.config.baseUrl);
      } catch (error) {
        logger.warn({ err: error }, 'could not record the base URL for the tessera command; it will link to TESSERA_BASE_URL or the default');
      }
      const links = deps.config.baseUrl === served ? '' : `, links to ${deps.config.baseUrl}`;
      console.log(`Tessera is listening on ${served} (${config.edition} edition, data in ${config.dataDir}${config.databaseUrl ? ', store: PostgreSQL' : ''}${config.redisUrl ? ', shared state: Redis' : ''}${links})`);
    });
}
