import type { Command } from 'commander';
import type { JobReport } from '../../jobs/job.ts';
import { findJob, JOBS } from '../../jobs/registry.ts';
import { CliError } from '../cli-error.ts';
import { DATA_OPTION, type DataOptions, withStore } from '../store-session.ts';

/** Progress lines at most this often: a sweep of a million tokens reports without flooding a terminal or a cron log. */
const PROGRESS_EVERY_MS = 1000;

const describe = (report: JobReport) => Object.entries(report).map(([what, n]) => `${n.toLocaleString('en')} ${what.replace(/_/g, ' ')}`).join(', ');

export function registerJobsCommands(program: Command): void {
  const jobs = program.command('jobs').description('Scheduled work (reminders, the disuse sweep, purging): `tessera serve` runs it hourly; cron can too');

  jobs.command('list').description('List the jobs').action(() => {
    for (const job of JOBS) console.log(`${job.name.padEnd(18)} ${job.description}`);
  });

  jobs.command('run [name]')
    .description('Run one job, or all of them; safe while servers run them too')
    .option(...DATA_OPTION)
    .action(async (name: string | undefined, options: DataOptions) => {
      const selected = name === undefined ? JOBS : [findJob(name)];
      if (selected.some((job) => job === undefined)) {
        throw new CliError(`No job named ${name}. Jobs: ${JOBS.map((job) => job.name).join(', ')}.`);
      }
      await withStore(options, async (deps) => {
        deps.reportError = (error, what) => console.error(`${what}: ${(error as Error).message}`);
        for (const job of selected) {
          let lastProgress = Date.now();
          const report = await job!.run(deps, {
            onProgress: (soFar) => {
              if (Date.now() - lastProgress < PROGRESS_EVERY_MS) return;
              lastProgress = Date.now();
              console.error(`${job!.name}: ${describe(soFar)} so far…`);
            },
          });
          console.log(`${job!.name}: ${describe(report)}`);
        }
      });
    });
}
