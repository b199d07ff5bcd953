// electron-builder afterPack hook: flips Electron fuses as the security checklist recommends.
// No ELECTRON_RUN_AS_NODE, no NODE_OPTIONS or --inspect, cookies encrypted, asar integrity
// checked, and the app loads only from app.asar. (The engine runs in a utilityProcess, which
// does not need RunAsNode.) CommonJS because electron-builder requires hooks.
/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports */
const path = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

/** The fuse settings, exported for tests and review. */
const FUSES = {
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

function executableOf(context) {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(context.appOutDir, `${name}.app`);
    case 'win32':
      return path.join(context.appOutDir, `${name}.exe`);
    default:
      return path.join(context.appOutDir, context.packager.executableName);
  }
}

module.exports = async function afterPack(context) {
  await flipFuses(executableOf(context), { ...FUSES, resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' });
};
module.exports.FUSES = FUSES;
