export { renderPathsText, renderPathText, pathOneLine } from './paths-text.js';
export { renderPathsJson } from './paths-json.js';
export { renderPathsDot, renderPathsMermaid } from './paths-graph.js';
export { renderWhoCanText, renderPermissionsText, renderBlastRadiusText } from './who-can-text.js';
export { subjectText } from './subject.js';
