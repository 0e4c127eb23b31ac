// When a long-running server command (cm gui, cm serve) should stop: the first SIGINT or SIGTERM.
// Listen before announcing the URL: a client that reads the URL and signals at once must find the
// handler in place, or the default action kills the process mid-way (exit by signal, no cleanup).

/** Starts listening now; the promise resolves with the first SIGINT or SIGTERM's name. */
export function listenForStop(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
