import type { Logger } from './logger';

/**
 * SIGTERM/SIGINT run the role's orderly stop once, then exit 0 (1 if stopping failed). A second
 * signal while stopping falls back to the default action, so an operator can still force it.
 */
export function onShutdownSignals(stop: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}
