/**
 * The `choucha` command. Every subcommand calls the same services as the API.
 */
import { Command, Option } from 'commander';
import { isAppError } from '@choucha/core';
import type { Role } from '@choucha/db';
import { registerVerifyCommand } from './commands/verify.ts';

const program = new Command();
program
  .name('choucha')
  .description('双随机、一公开 supervision platform: directories, verifiable draws, results, publicity')
  .showHelpAfterError()
  .configureHelp({ sortSubcommands: true });

// `choucha verify` needs only the core: the commands that use the services, the database or the
// server are loaded (await import) only for another command, so that a verifier never loads them.
const verifyOnly = process.argv[2] === 'verify';
if (!verifyOnly) await registerServerCommands(program);
registerVerifyCommand(program);

async function registerServerCommands(program: Command) {
  const { createUser, SYSTEM } = await import('@choucha/services');
  const { startServer } = await import('@choucha/server');
  const { ROLES } = await import('@choucha/db');
  const { progressBar } = await import('./progress.ts');
  const { registerImportCommands } = await import('./commands/import.ts');
  const { registerAuditCommand } = await import('./commands/audit.ts');
  const { registerPlanCommands } = await import('./commands/plans.ts');
  const { registerCalendarCommands } = await import('./commands/calendar.ts');
  const { demoIsLoaded, loadDemo, DEMO_PASSWORD, ensureProductionSafe } = await import('./demo.ts');
  const { config, withServices } = await import('./context.ts');

  program
    .command('start')
    .description('Start the web server and API (embedded database in ./data unless DATABASE_URL is set)')
    .option('-p, --port <port>', 'port to listen on (default: PORT or 3000)')
    .option('--host <host>', 'address to listen on (default: HOST or 127.0.0.1)')
    .option('--no-demo', 'do not load the demo district into an empty database')
    .option('--no-history', "load the demo district's directories without its year of history (faster)")
    .action(async (opts: { port?: string; host?: string; demo: boolean; history: boolean }) => {
      const c = config();
      if (opts.port) c.port = Number(opts.port);
      if (opts.host) c.host = opts.host;
      const t0 = performance.now();
      let demoLoaded = false;
      let hasDemo = false;
      const server = await startServer(c, {
        prepare: async (svc) => {
          if (c.mode === 'production') {
            await ensureProductionSafe(svc);
          } else if (opts.demo && !(await demoIsLoaded(svc))) {
            process.stderr.write('Loading the demo district (first start only)…\n');
            await loadDemo(svc, { onProgress: progressBar('demo'), history: opts.history });
            demoLoaded = true;
          }
          hasDemo =
            c.mode !== 'production' &&
            (await svc.database.query("select 1 from users where username = 'scjg'")).length > 0;
        },
      });
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      const lines = [
        '',
        `choucha is running at ${server.url}  (ready in ${seconds} s, ${server.database.description})`,
        `  API docs:      ${server.url}/api/docs`,
        `  Public portal: ${server.url}/public`,
        server.logDir
          ? `  Request log:   ${server.logDir}/requests.*.log (rotated; warnings are shown here too)`
          : '  Request log:   stdout (CHOUCHA_LOG_DIR=-)',
      ];
      if (hasDemo) {
        lines.push(
          '',
          `Demo logins (password ${DEMO_PASSWORD}):`,
          '  admin      联席办管理员 (joint office, sees everything)',
          '  scjg       区市场监管局 department admin',
          '  jyj        区教育局 department admin',
          '  inspector1 执法人员 (市场监管局)',
          '  leader     领导 (read-only)',
          '  jiandu     监督员 (supervisor: read-only, verifies every draw’s full bundle)',
        );
      }
      if (demoLoaded) lines.push('', 'The demo district was loaded into the empty database.');
      process.stdout.write(`${lines.join('\n')}\n\nPress Ctrl+C to stop.\n`);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        server.app.log.info({ signal }, 'shutting down');
        server
          .close()
          .then(() => process.exit(0))
          .catch((e: unknown) => {
            console.error(e);
            process.exit(1);
          });
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    });

  program
    .command('migrate')
    .description('Apply database migrations and exit')
    .action(async () => {
      await withServices('migrate', async (_svc, db) => {
        process.stdout.write(`Migrations applied (${db.description}).\n`);
      });
    });

  program
    .command('demo')
    .description('Load the deterministic demo district (18 departments, ~30,000 entities, a year of history)')
    .option('--force', 'load even if the database already has data')
    .action(async (opts: { force?: boolean }) => {
      await withServices('demo', async (svc) => {
        if (!opts.force && (await demoIsLoaded(svc))) {
          process.stdout.write(
            'The database already has data; nothing loaded (use --force to add the demo anyway).\n',
          );
          return;
        }
        const summary = await loadDemo(svc, { onProgress: progressBar('demo') });
        process.stdout.write(`${summary}\n`);
      });
    });

  const user = program.command('user').description('Manage users');
  user
    .command('add')
    .description('Add a user (the password is read from CHOUCHA_PASSWORD or asked for)')
    .requiredOption('-u, --username <name>', 'login name')
    .requiredOption('-n, --display-name <name>', 'full name')
    .addOption(new Option('-r, --role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
    .option('-d, --department <code>', 'department code (required for dept_admin and inspector)')
    .action(async (opts: { username: string; displayName: string; role: Role; department?: string }) => {
      const password = process.env.CHOUCHA_PASSWORD ?? (await ask(`Password for ${opts.username}: `));
      await withServices('user add', async (svc) => {
        let departmentId: number | null = null;
        if (opts.department) {
          const rows = await svc.database.query<{ id: number }>(
            'select id from departments where code = $1',
            [opts.department],
          );
          if (!rows[0]) throw new Error(`No department with code ${opts.department}`);
          departmentId = rows[0].id;
        }
        const u = await createUser(svc, SYSTEM, {
          username: opts.username,
          displayName: opts.displayName,
          role: opts.role,
          departmentId,
          password,
          mustChangePassword: true,
        });
        process.stdout.write(
          `User ${u.username} (${u.role}) created; the password must be changed at first login.\n`,
        );
      });
    });

  registerImportCommands(program);
  registerAuditCommand(program);
  registerPlanCommands(program);
  registerCalendarCommands(program);
}

async function ask(prompt: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(prompt);
  } finally {
    rl.close();
  }
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof Error && e.name === 'ConfigError') {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  if (isAppError(e)) {
    process.stderr.write(`${e.code}: ${e.message}\n`);
    process.exit(e.code === 'DB_LOCKED' ? 3 : 1);
  }
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
