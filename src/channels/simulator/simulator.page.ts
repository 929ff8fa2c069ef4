/**
 * The simulator page, rendered on the server: four phones (an SMS phone, a Telegram chat, a WhatsApp chat
 * and a keypad phone that calls the voice menus) over the same running service, a language switch and a reset. The
 * page holds no script of its own (the Content-Security-Policy allows only /simulator/simulator.js) and
 * no resource from elsewhere; recordings play from this service (`media-src 'self'`).
 */
export interface SimulatorPageInput {
  languages: { code: string; name: string }[];
  base: string;
  /** a word that opens the language menu in any language (global words are matched in every language). */
  languageWord: string;
}

export const SIMULATOR_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; media-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

export function simulatorPage(input: SimulatorPageInput): string {
  const options = input.languages
    .map((l) => `<option value="${esc(l.code)}"${l.code === input.base ? ' selected' : ''}>${esc(l.name)} (${esc(l.code)})</option>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sira simulator (development)</title>
<link rel="stylesheet" href="/simulator/simulator.css">
<script src="/simulator/simulator.js" defer></script>
</head>
<body data-language-word="${esc(input.languageWord)}">
<header class="bar">
  <h1>Sira simulator <small>development only: nothing is sent to a real phone</small></h1>
  <div class="controls">
    <label for="language">Language</label>
    <select id="language" name="language">${options}</select>
    <button type="button" id="reset">Reset (new phones)</button>
  </div>
</header>
<p id="notice" class="notice" role="status" aria-live="polite"></p>
<main class="phones">
${phone('sms', 'SMS phone', 'Type an SMS (e.g. Bonjour)', 'Send SMS')}
${phone('telegram', 'Telegram chat', 'Type, or tap a button', 'Send')}
${phone('whatsapp', 'WhatsApp chat', 'Type, or tap a button or a list', 'Send')}
${keypadPhone()}
</main>
</body>
</html>
`;
}

function phone(id: string, title: string, placeholder: string, send: string): string {
  const start = id === 'telegram' ? `<button type="button" class="start" data-start>Start (/start)</button>` : '';
  return `<section class="phone phone-${id}" id="${id}" aria-labelledby="${id}-title">
  <h2><span id="${id}-title">${title}</span> <span class="who" data-who></span> <span class="lang" data-lang></span></h2>
  <ol class="log" role="log" aria-live="polite" aria-label="${title} conversation" data-log></ol>
  <form class="compose" data-compose>
    <label class="visually-hidden" for="${id}-input">${title}: message</label>
    <input id="${id}-input" name="text" autocomplete="off" maxlength="1600" placeholder="${placeholder}">
    <button type="submit">${send}</button>
    ${start}
  </form>
</section>`;
}

/** The phone's keys, in keypad order; each is one press (a typed number ends with #). */
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

/** A call to the voice menus: the text of each prompt, its recordings played; the keypad answers. */
function keypadPhone(): string {
  const keys = KEYS.map((k) => `<button type="button" data-key="${k}" aria-label="key ${k}">${k}</button>`).join('');
  return `<section class="phone phone-voice" id="voice" aria-labelledby="voice-title">
  <h2><span id="voice-title">Voice call (keypad)</span> <span class="who" data-who></span> <span class="lang" data-state>not in a call</span></h2>
  <ol class="log" role="log" aria-live="polite" aria-label="Voice call: what she hears" data-log></ol>
  <div class="keypad" role="group" aria-label="Phone keypad">${keys}</div>
  <div class="compose">
    <button type="button" data-dial>Call</button>
    <button type="button" data-silence>No key (wait)</button>
    <button type="button" data-hangup>Hang up</button>
  </div>
</section>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
