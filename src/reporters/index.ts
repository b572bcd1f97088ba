// The reporters, a map from format name to a pure function Results → string (the CLI writes it), and the
// same as streams of chunks for outputs of any size: the CLI writes those chunk by chunk, so the results of
// an Organization are never held as one text (Markdown, bounded to 1 MiB, is one chunk).
import type { Results } from '../results.js';
import type { ReportOptions } from './common.js';
import { jsonChunks, renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif, sarifChunks } from './sarif.js';
import { renderText, textChunks } from './text.js';
import { html, htmlChunks, type HtmlReportOptions } from './html.js';
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
  text: textChunks,
  json: (results) => jsonChunks(results),
  sarif: sarifChunks,
  markdown: oneChunk(renderMarkdown),
  html: (results, options) => htmlChunks(results, options as HtmlReportOptions | undefined),
};
