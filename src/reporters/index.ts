// The reporters, a map from format name to a pure function Results → string (the CLI writes it).
import type { Results } from '../results.js';
import type { ReportOptions } from './common.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';
import { html, type HtmlReportOptions } from './html.js';

export type { ReportOptions } from './common.js';
export type ReportFormat = 'text' | 'json' | 'sarif' | 'markdown' | 'html';
export type { HtmlReportOptions } from './html.js';
export type Reporter = (results: Results, options?: ReportOptions) => string;

export const reporters: Record<ReportFormat, Reporter> = {
  text: renderText,
  json: (results) => renderJson(results),
  sarif: renderSarif,
  markdown: renderMarkdown,
  html: (results, options) => html(results, options as HtmlReportOptions | undefined),
};
