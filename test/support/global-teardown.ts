import { started } from './global-setup';

/** Stops the servers global-setup.ts started for this run (none when the machine's own answered). */
export default async function globalTeardown(): Promise<void> {
  for (const server of started.splice(0)) await server.dispose();
}
