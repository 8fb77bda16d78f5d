export { parseConfiguration } from './parser.js';
export { parseRouteCommand } from './routes/command.js';
