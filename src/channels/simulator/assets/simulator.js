// Sira simulator: drives two simulated identities (an SMS phone and a Telegram chat) through
// POST /simulator/messages, the endpoint `npm run chat` uses. No framework, no build step.
'use strict';

(() => {
  const languageWord = document.body.dataset.languageWord;
  const select = document.getElementById('language');
  const notice = document.getElementById('notice');
  const phones = ['sms', 'telegram'].map(makePhone);

  function makePhone(kind) {
    const root = document.getElementById(kind);
    const phone = {
      kind,
      title: document.getElementById(`${kind}-title`).textContent,
      log: root.querySelector('[data-log]'),
      who: root.querySelector('[data-who]'),
      lang: root.querySelector('[data-lang]'),
      input: root.querySelector('input'),
      queue: Promise.resolve(),
    };
    renew(phone);
    root.querySelector('[data-compose]').addEventListener('submit', (event) => {
      event.preventDefault();
      const text = phone.input.value.trim();
      if (!text) return;
      phone.input.value = '';
      // On Telegram a conversation begins with /start: a start, not words.
      if (kind === 'telegram' && text === '/start') enqueue(phone, { start: true }, '/start');
      else enqueue(phone, { text }, text);
    });
    const start = root.querySelector('[data-start]');
    if (start) start.addEventListener('click', () => enqueue(phone, { start: true }, '/start'));
    return phone;
  }

  /** A new simulated identity: the service sees a contact it has never met. */
  function renew(phone) {
    const bytes = crypto.getRandomValues(new Uint8Array(6));
    phone.generation = (phone.generation || 0) + 1;
    phone.from = `sim-${phone.kind}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
    phone.who.textContent = phone.from;
    phone.lang.textContent = '';
    phone.log.replaceChildren();
  }

  /** Messages of one phone leave one at a time, so the bubbles keep the order they were sent in. */
  function enqueue(phone, message, shown) {
    const next = phone.queue.then(() => send(phone, message, shown));
    phone.queue = next.catch(() => null);
    return next;
  }

  async function send(phone, message, shown) {
    const generation = phone.generation;
    bubble(phone, 'out', shown);
    try {
      const response = await fetch('/simulator/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: phone.from, ...message }),
      });
      if (!response.ok) throw new Error(`the service answered ${response.status}: ${await response.text()}`);
      const reply = await response.json();
      // An answer that arrives after a reset belongs to the identity that was dropped.
      if (generation === phone.generation) show(phone, reply);
      return reply;
    } catch (error) {
      say(`${phone.title}: ${error.message}`);
      throw error;
    }
  }

  function show(phone, reply) {
    phone.lang.textContent = `language: ${reply.language}`;
    if (reply.status === 'duplicate') return bubble(phone, 'none', '(duplicate: nothing done)');
    if (!reply.delivered) return bubble(phone, 'none', '(nothing is sent: this identity has opted out; send START to resume)');
    if (phone.kind === 'sms') reply.sms.forEach((sms) => smsBubble(phone, sms));
    else reply.telegram.forEach((message) => telegramBubble(phone, message));
  }

  function bubble(phone, direction, text) {
    const item = document.createElement('li');
    item.className = `msg ${direction}`;
    item.textContent = text;
    phone.log.append(item);
    phone.log.scrollTop = phone.log.scrollHeight;
    return item;
  }

  function smsBubble(phone, sms) {
    const item = bubble(phone, 'in', sms.text);
    item.dataset.encoding = sms.encoding;
    item.dataset.segments = String(sms.segments);
    const meta = document.createElement('small');
    meta.className = sms.encoding === 'GSM-7' ? 'meta' : 'meta ucs2';
    const plural = sms.segments === 1 ? '' : 's';
    const why = sms.nonGsm.length ? ` · not GSM-7: ${sms.nonGsm.join(' ')}` : '';
    meta.textContent = `${sms.encoding} · ${sms.segments} segment${plural}${why}`;
    item.append(meta);
  }

  function telegramBubble(phone, message) {
    const item = bubble(phone, 'in', unescapeHtml(message.text));
    if (message.buttons.length === 0) return;
    const row = document.createElement('div');
    row.className = 'buttons';
    for (const button of message.buttons) {
      const tap = document.createElement('button');
      tap.type = 'button';
      tap.textContent = unescapeHtml(button.label);
      const choice = parseData(button.data);
      // A tap on an old keyboard is sent as it is: the engine answers a stale tap itself.
      tap.addEventListener('click', () => enqueue(phone, { choice }, tap.textContent));
      row.append(tap);
    }
    item.append(row);
  }

  /** Button data is `q<question>:<choice id>` (src/channels/telegram/telegram.renderer.ts). */
  function parseData(data) {
    const match = /^q(\d+):([a-z0-9_]+)$/.exec(data);
    return match ? { question: Number(match[1]), id: match[2] } : null;
  }

  /** Telegram texts are HTML-escaped for parse_mode HTML; shown here as Telegram would show them. */
  function unescapeHtml(text) {
    return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }

  /**
   * Switches a running conversation the way she would: the language word, then the language in the
   * menu it opens (its number by SMS, its button on Telegram).
   */
  async function switchLanguage(phone, code) {
    const reply = await enqueue(phone, { text: languageWord }, languageWord);
    const found = findChoice(reply, code);
    if (!found) return say(`${phone.title}: the language menu did not offer "${code}"`);
    if (phone.kind === 'sms') await enqueue(phone, { text: String(found.number) }, String(found.number));
    else await enqueue(phone, { choice: found.choice }, unescapeHtml(found.label));
  }

  function findChoice(reply, id) {
    for (const message of reply.telegram) {
      const index = message.buttons.findIndex((b) => parseData(b.data)?.id === id);
      if (index >= 0) return { number: index + 1, label: message.buttons[index].label, choice: parseData(message.buttons[index].data) };
    }
    return null;
  }

  function say(text) {
    notice.textContent = text;
  }

  select.addEventListener('change', () => {
    say('');
    for (const phone of phones) switchLanguage(phone, select.value).catch(() => undefined);
  });

  document.getElementById('reset').addEventListener('click', () => {
    say('');
    for (const phone of phones) {
      renew(phone);
      phone.queue = Promise.resolve();
    }
    phones[0].input.focus();
  });
})();
