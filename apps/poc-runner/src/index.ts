export type { CodeMeasure } from './complexity.js';
export { measureFiles, measureSource, stripCommentsAndStrings } from './complexity.js';
export { decide } from './decision.js';
export { defaultOutDir, runEvaluation } from './evaluate.js';
export type { Check, Criterion, Report, Series, StepResult } from './model.js';
export type { RunOptions, StepId } from './options.js';
export { HELP, parseRunOptions, STEP_IDS } from './options.js';
export { renderHtml } from './report/html.js';
export { renderMarkdown } from './report/markdown.js';
