// The reporters, a map from format name to a pure function Results → string (the CLI writes it), and the
// same as streams of chunks for outputs of any size: the CLI writes those chunk by chunk, so the results of
// an Organization are never held as one text (JSON and HTML stream; the others are bounded in size).
import type { Results } from '../results.js';
import type { ReportOptions } from './common.js';
import { jsonChunks, renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';
import { html, type HtmlReportOptions } from './html.js';
import { oneChunk } from './load.js';

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

export type ChunkedReporter = (results: Results, options?: ReportOptions) => Iterable<string>;

export const chunkedReporters: Record<ReportFormat, ChunkedReporter> = {
  text: oneChunk(renderText),
  json: (results) => jsonChunks(results),
  sarif: oneChunk(renderSarif),
  markdown: oneChunk(renderMarkdown),
  html: oneChunk(reporters.html),
};
