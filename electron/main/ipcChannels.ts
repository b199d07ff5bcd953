// IPC channel names shared by the main process and the preload, besides the contract's call and
// event channels: the preload's grant of a dropped file's path.
export const IPC_GRANT_DROPPED = 'restore:grant-dropped';
