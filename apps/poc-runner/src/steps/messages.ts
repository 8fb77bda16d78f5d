import type { StepContext } from '../context.js';

export async function runMessages(ctx: StepContext): Promise<void> {
  ctx.check('step implemented', false, 'not implemented yet');
}
