import { html, trusted, type SafeHtml } from './html.js';
import { REPORT_STYLES } from './report-styles.js';

/**
 * The frame every zmq-bench page shares (run reports and the behaviour catalogue): one
 * self-contained HTML file, light and dark after the browser, the report styles inlined, plus
 * any styles of the page's own.
 */
export function htmlPage(o: { title: string; toolVersion: string; extraStyles?: string; body: SafeHtml }): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="zmq-bench ${o.toolVersion}">
<title>${o.title}</title>
<style>${trusted(REPORT_STYLES)}${trusted(o.extraStyles ?? '')}</style>
</head>
<body>
${o.body}
</body>
</html>
`.value;
}
