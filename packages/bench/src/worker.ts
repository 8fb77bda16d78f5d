import { handlers } from './roles.js';

/** A measured process: answers the parent's numbered requests (see child.ts) until told to exit. */
process.on('message', async (raw) => {
  const { id, command, params } = raw as { id: number; command: string; params: unknown };
  if (command === 'exit') {
    await handlers.shutdown?.(undefined as never);
    process.exit(0);
  }
  const handler = handlers[command];
  try {
    if (!handler) throw new Error(`unknown worker command '${command}'`);
    const value = await handler(params as never);
    process.send?.({ id, ok: true, value });
  } catch (error) {
    process.send?.({ id, ok: false, error: (error as Error).stack ?? String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
