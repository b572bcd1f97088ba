// The reporters by format, each imported when first asked for: a command line run loads only the formats it
// writes (the HTML reporter and its assets are the largest modules of a run). The library's `reporters` map
// (index.ts) holds the same functions, imported up front.
import type { HtmlReportOptions } from './html.js';
import type { ChunkedReporter, Reporter, ReportFormat } from './index.js';

const LOADERS: Record<ReportFormat, () => Promise<Reporter>> = {
  text: async () => (await import('./text.js')).renderText,
  json: async () => {
    const { renderJson } = await import('./json.js');
    return (results) => renderJson(results);
  },
  sarif: async () => (await import('./sarif.js')).renderSarif,
  markdown: async () => (await import('./markdown.js')).renderMarkdown,
  html: async () => {
    const { html } = await import('./html.js');
    return (results, options) => html(results, options as HtmlReportOptions | undefined);
  },
};

export function loadReporter(format: ReportFormat): Promise<Reporter> {
  return LOADERS[format]();
}

/** A reporter whose output is bounded in size, as a one-chunk stream rendered when read. */
export function oneChunk(reporter: Reporter): ChunkedReporter {
  return function* (results, options) {
    yield reporter(results, options);
  };
}

const CHUNKED_LOADERS: Record<ReportFormat, () => Promise<ChunkedReporter>> = {
  text: async () => (await import('./text.js')).textChunks,
  json: async () => {
    const { jsonChunks } = await import('./json.js');
    return (results) => jsonChunks(results);
  },
  sarif: async () => (await import('./sarif.js')).sarifChunks,
  markdown: async () => oneChunk(await LOADERS.markdown()),
  html: async () => {
    const { htmlChunks } = await import('./html.js');
    return (results, options) => htmlChunks(results, options as HtmlReportOptions | undefined);
  },
};

/** The reporter as a stream of chunks (Markdown, bounded to 1 MiB, is one chunk). */
export function loadChunkedReporter(format: ReportFormat): Promise<ChunkedReporter> {
  return CHUNKED_LOADERS[format]();
}
