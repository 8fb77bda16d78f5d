/**
 * Visible progress: on a terminal a live task list redrawn in place (one line per step, a spinner on the
 * running one, its latest detail beside it); elsewhere (CI logs, pipes) one plain line per event.
 */
export type TaskState = 'pending' | 'running' | 'pass' | 'fail' | 'skipped';

interface Task {
  title: string;
  state: TaskState;
  detail: string;
}

const MARK: Record<TaskState, string> = { pending: '·', running: '›', pass: '✔', fail: '✘', skipped: '–' };
const SPIN = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class TaskList {
  private readonly tasks: Task[] = [];
  private readonly live: boolean;
  private drawn = 0;
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {
    this.live = Boolean(out.isTTY) && process.env.CI === undefined;
  }

  add(title: string): number {
    this.tasks.push({ title, state: 'pending', detail: '' });
    return this.tasks.length - 1;
  }

  start(index: number): void {
    this.set(index, 'running', '');
    if (this.live && !this.timer) {
      this.timer = setInterval(() => {
        this.frame++;
        this.draw();
      }, 120);
      this.timer.unref();
    }
  }

  detail(index: number, text: string): void {
    const task = this.tasks[index];
    if (!task) return;
    task.detail = text;
    if (this.live) this.draw();
    else this.out.write(`    ${text}\n`);
  }

  finish(index: number, state: TaskState, detail: string): void {
    this.set(index, state, detail);
  }

  /** Stop redrawing; later output goes below the list. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.live) this.draw();
  }

  private set(index: number, state: TaskState, detail: string): void {
    const task = this.tasks[index];
    if (!task) return;
    task.state = state;
    task.detail = detail;
    if (this.live) this.draw();
    else if (state === 'running') this.out.write(`[${index + 1}/${this.tasks.length}] ${task.title} ...\n`);
    else this.out.write(`[${index + 1}/${this.tasks.length}] ${task.title}: ${state.toUpperCase()} ${detail}\n`);
  }

  private draw(): void {
    const width = Math.max(40, (this.out.columns ?? 100) - 1);
    const lines = this.tasks.map((t) => {
      const mark = t.state === 'running' ? (SPIN[this.frame % SPIN.length] as string) : MARK[t.state];
      const line = `${mark} ${t.title}${t.detail ? `  ${t.detail}` : ''}`;
      return line.length > width ? `${line.slice(0, width - 1)}…` : line;
    });
    let text = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    for (const line of lines) text += `\x1b[2K${line}\n`;
    this.out.write(text);
    this.drawn = lines.length;
  }
}
