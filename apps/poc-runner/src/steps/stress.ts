import type { StepContext } from '../context.js';

export async function runStress(ctx: StepContext): Promise<void> {
  ctx.check('step implemented', false, 'not implemented yet');
}
