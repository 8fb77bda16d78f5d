import type { Driver, DriverName, DriverUnavailable } from './driver.js';
import { rawNetDriver } from './raw-net.js';

/**
 * The driver of each mode, over the real packages. A package that does not export what its mode needs yet
 * makes the mode unavailable with the reason, and the report says so (it is never replaced by something else).
 */
export async function loadDriver(name: DriverName): Promise<Driver | DriverUnavailable> {
  try {
    switch (name) {
      case 'raw-net':
        return rawNetDriver;
      case 'sync':
        return await (await import('./sync-driver.js')).createSyncDriver();
      case 'async':
        return await (await import('./async-driver.js')).createAsyncDriver();
      case 'fsm-sync':
      case 'bridge-polling':
      case 'bridge-effect':
        return await (await import('./bridge-driver.js')).createBridgeDriver(name);
    }
  } catch (error) {
    return { name, unavailable: (error as Error).message.split('\n')[0] ?? String(error) };
  }
}

/** Which modes can run here, and why the others cannot. */
export async function driverAvailability(
  names: readonly DriverName[],
): Promise<{ available: DriverName[]; unavailable: DriverUnavailable[]; measures: Record<string, string> }> {
  const available: DriverName[] = [];
  const unavailable: DriverUnavailable[] = [];
  const measures: Record<string, string> = {};
  for (const name of names) {
    const loaded = await loadDriver(name);
    if ('unavailable' in loaded) unavailable.push(loaded);
    else {
      available.push(name);
      measures[name] = loaded.measures;
      await loaded.shutdown();
    }
  }
  return { available, unavailable, measures };
}
