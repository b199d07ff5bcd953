// `restore serve`: the web bridge. Serves the app and its API on 127.0.0.1 with a random token;
// the first stdout line is `Listening on <url>` (the URL carries the token). File access stays
// inside the --allow folders (default: the current folder) and the session's workspace. The
// interface is built on the first start after install (bridge/uiBuild.ts).
// Runs until Ctrl-C (SIGINT/SIGTERM), then stops the engine and removes the workspace; restored
// results and the saved session stay in the user's data folder for the next start.
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIO } from '../io';
import { appRoot, engineWorkerPath, rendererDistDir, userDataDir, userModelsDir, userSettingsFile } from '../../paths';
import { startSession } from '../../bridge/session';
import { ensureUiBuilt } from '../../bridge/uiBuild';

const HELP = `Usage: restore serve [options]

Serves the Restore Studio interface to a browser on this machine (http://127.0.0.1 only).
Open the printed URL; it carries a session token.

Options:
  --allow <dir>        folder the interface may read and write (repeatable; default: current folder)
  --models-dir <dir>   extra folder holding a manifest.json of models (repeatable); imported
                       models go to the first (default: the user's model folder, as in the app)
  --port <n>           port to listen on (default: a free one)
  --settings <file>    settings file (default: the app's settings file)
  --workspace <dir>    where uploads, masks and previews go (default: a temporary folder);
                       restored results and the open work are kept in the user's data folder
  -h, --help           this help
`;

export async function run(args: string[], io: CliIO): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        allow: { type: 'string', multiple: true },
        'models-dir': { type: 'string', multiple: true },
        port: { type: 'string' },
        settings: { type: 'string' },
        workspace: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    io.stderr(`restore serve: ${(e as Error).message} (see --help)\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr(`restore serve: --port must be an integer from 0 to 65535, not "${values.port}"\n`);
    return 2;
  }
  let session;
  try {
    // right after `npm ci` the interface is not built yet: build it now (uiBuild.ts)
    const staticDir = rendererDistDir(io.env);
    await ensureUiBuilt(staticDir, appRoot(), (m) => io.stderr(`restore serve: ${m}\n`));
    session = await startSession({
      appRoot: appRoot(),
      staticDir,
      allow: (values.allow ?? [io.cwd]).map((d) => path.resolve(io.cwd, d)),
      modelDirs: [...(values['models-dir'] ?? []).map((d) => path.resolve(io.cwd, d)), userModelsDir(io.env)],
      settingsFile: values.settings ? path.resolve(io.cwd, values.settings) : userSettingsFile(io.env),
      workerPath: engineWorkerPath(),
      dataDir: userDataDir(io.env),
      port,
      ...(values.workspace ? { workspace: path.resolve(io.cwd, values.workspace) } : {}),
      warn: (m) => io.stderr(`restore serve: ${m}\n`),
    });
  } catch (e) {
    io.stderr(`restore serve: ${(e as Error).message}\n`);
    return 1;
  }
  io.stdout(`Listening on ${session.url}\n`);
  io.stderr(
    `restore serve: allowed folders: ${(values.allow ?? [io.cwd]).join(', ')} (others: start with --allow <folder>, repeatable); press Ctrl-C to stop\n`,
  );
  await new Promise<void>((resolve) => {
    const off = io.onInterrupt(() => {
      off();
      resolve();
    });
  });
  await session.close();
  return 0;
}
