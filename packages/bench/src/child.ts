import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * One measured process: a Node child running `worker.ts` through tsx with the `source` export condition (the
 * workspace packages resolve to their TypeScript source, no build needed) and `--expose-gc` (heap after GC).
 * Parent and child talk over the IPC channel: numbered requests, one answer each.
 */
export class WorkerProcess {
  readonly child: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exitError: Error | undefined;
  readonly exited: Promise<number | null>;
  stderr = '';

  private constructor(child: ChildProcess) {
    this.child = child;
    child.on('message', (raw) => {
      const msg = raw as { id: number; ok: boolean; value?: unknown; error?: string };
      const waiter = this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      if (msg.ok) waiter.resolve(msg.value);
      else waiter.reject(new Error(msg.error ?? 'worker request failed'));
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      // Keep the tail: a crash's stack is what matters.
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-8_000);
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitError = new Error(
          `worker ${child.pid} exited (code ${code}, signal ${signal})${this.stderr ? `: ${this.stderr.trim().slice(-2_000)}` : ''}`,
        );
        for (const waiter of this.pending.values()) waiter.reject(this.exitError);
        this.pending.clear();
        resolve(code);
      });
    });
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** Start a worker; resolves once it answered its first request (the tsx loader has compiled it). */
  static async start(options: { extraNodeArgs?: string[] } = {}): Promise<WorkerProcess> {
    const entry = fileURLToPath(new URL('./worker.ts', import.meta.url));
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const child = fork(entry, [], {
      execArgv: ['--conditions=source', '--import', tsx, '--expose-gc', ...(options.extraNodeArgs ?? [])],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const worker = new WorkerProcess(child);
    await worker.request('ping', {});
    return worker;
  }

  request<T = unknown>(command: string, params: unknown, timeoutMs = 600_000): Promise<T> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`worker ${this.pid}: '${command}' did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.send({ id, command, params });
    });
  }

  /** Ask the worker to exit; kill it if it does not within `graceMs`. */
  async stop(graceMs = 3_000): Promise<void> {
    if (this.exitError) return;
    this.child.send({ id: 0, command: 'exit', params: {} }, () => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.exitError) this.child.kill('SIGKILL');
  }
}

/** Start `count` workers in parallel (their start-up cost is tsx compiling, paid once per process). */
export async function startWorkers(count: number): Promise<WorkerProcess[]> {
  return Promise.all(Array.from({ length: count }, () => WorkerProcess.start()));
}
