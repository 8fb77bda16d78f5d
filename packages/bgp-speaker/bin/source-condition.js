/**
 * A module resolution hook adding the `source` export condition, as `node --conditions=source` does: the
 * workspace's packages resolve to their `src/index.ts`, so no build is needed to run the command.
 */
export async function resolve(specifier, context, nextResolve) {
  if (context.conditions.includes('source')) return nextResolve(specifier, context);
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, 'source'] });
}
