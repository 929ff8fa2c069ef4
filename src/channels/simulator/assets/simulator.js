// Sira simulator: drives three simulated identities (an SMS phone, a Telegram chat and a WhatsApp chat) through
// POST /simulator/messages, the endpoint `npm run chat` uses, and a keypad phone that calls the voice
// menus through POST /simulator/calls. No framework, no build step.
'use strict';

(() => {
  const languageWord = document.body.dataset.languageWord;
  const select = document.getElementById('language');
  const notice = document.getElementById('notice');
  const phones = ['sms', 'telegram', 'whatsapp'].map(makePhone);
  const voice = makeKeypadPhone();

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
    else if (phone.kind === 'whatsapp') reply.whatsapp.forEach((message) => whatsappBubble(phone, message));
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
    if (message.voice) return voiceBubble(phone, message.voice);
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

  /** Listen mode: a voice (Telegram) or audio (WhatsApp) message, a player of /audio/<sha>.ogg. */
  function voiceBubble(phone, path) {
    const item = bubble(phone, 'in', '');
    item.classList.add('voice');
    const audio = document.createElement('audio');
    audio.controls = true;
    audio.preload = 'none';
    audio.src = path;
    item.append(audio);
    return item;
  }

  /**
   * A WhatsApp message as the WhatsApp renderer made it (src/channels/whatsapp/whatsapp.renderer.ts):
   * text, reply buttons, or a list whose button opens its rows. A tap sends the choice, as on Telegram.
   */
  function whatsappBubble(phone, message) {
    if (message.type === 'audio') return voiceBubble(phone, message.voice);
    const item = bubble(phone, 'in', message.text);
    if (message.type === 'buttons') {
      const row = document.createElement('div');
      row.className = 'buttons';
      for (const button of message.buttons) row.append(choiceButton(phone, button.id, button.title));
      item.append(row);
    } else if (message.type === 'list') {
      const box = document.createElement('div');
      box.className = 'buttons';
      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'list-open';
      open.textContent = message.button;
      open.setAttribute('aria-expanded', 'false');
      const rows = document.createElement('div');
      rows.className = 'rows';
      rows.hidden = true;
      rows.setAttribute('role', 'group');
      rows.setAttribute('aria-label', message.button);
      for (const entry of message.rows) rows.append(choiceButton(phone, entry.id, entry.title, entry.description));
      open.addEventListener('click', () => {
        rows.hidden = !rows.hidden;
        open.setAttribute('aria-expanded', String(!rows.hidden));
      });
      box.append(open, rows);
      item.append(box);
    }
  }

  /** A reply button or list row of WhatsApp: its id is `q<question>:<choice id>`, as Telegram's data. */
  function choiceButton(phone, id, title, description) {
    const tap = document.createElement('button');
    tap.type = 'button';
    tap.textContent = title;
    if (description) {
      const more = document.createElement('small');
      more.textContent = description;
      tap.append(more);
    }
    const choice = parseData(id);
    // a tap on an old message is sent as it is: the engine answers a stale tap itself
    tap.addEventListener('click', () => enqueue(phone, { choice }, title));
    return tap;
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
   * menu it opens (its number by SMS, its button on Telegram, its button or list row on WhatsApp).
   */
  async function switchLanguage(phone, code) {
    const reply = await enqueue(phone, { text: languageWord }, languageWord);
    const found = findChoice(reply, code, phone.kind);
    if (!found) return say(`${phone.title}: the language menu did not offer "${code}"`);
    if (phone.kind === 'sms') await enqueue(phone, { text: String(found.number) }, String(found.number));
    else if (phone.kind === 'whatsapp') await enqueue(phone, { choice: found.choice }, found.label);
    else await enqueue(phone, { choice: found.choice }, unescapeHtml(found.label));
  }

  function findChoice(reply, id, kind) {
    if (kind === 'whatsapp') {
      for (const message of reply.whatsapp) {
        const entries = message.type === 'buttons' ? message.buttons : message.type === 'list' ? message.rows : [];
        const index = entries.findIndex((e) => parseData(e.id)?.id === id);
        if (index >= 0) return { number: index + 1, label: entries[index].title, choice: parseData(entries[index].id) };
      }
      return null;
    }
    for (const message of reply.telegram) {
      const index = message.buttons.findIndex((b) => parseData(b.data)?.id === id);
      if (index >= 0) return { number: index + 1, label: message.buttons[index].label, choice: parseData(message.buttons[index].data) };
    }
    return null;
  }

  // ---- the keypad phone: a call to the voice menus -------------------------------------------------

  function makeKeypadPhone() {
    const root = document.getElementById('voice');
    const phone = {
      kind: 'voice',
      title: document.getElementById('voice-title').textContent,
      log: root.querySelector('[data-log]'),
      who: root.querySelector('[data-who]'),
      state: root.querySelector('[data-state]'),
      queue: Promise.resolve(),
      /** what the last answer said to send back with the next keys; null: not in a call. */
      next: null,
      /** digits of a number being typed (sent with #). */
      typed: '',
      playing: [],
    };
    renewCaller(phone);
    for (const button of root.querySelectorAll('[data-key]')) button.addEventListener('click', () => press(phone, button.dataset.key));
    root.querySelector('[data-dial]').addEventListener('click', () => dial(phone));
    root.querySelector('[data-silence]').addEventListener('click', () => phone.next && call(phone, '', '(no key)'));
    root.querySelector('[data-hangup]').addEventListener('click', () => hangUp(phone, '(she hangs up)'));
    return phone;
  }

  function renewCaller(phone) {
    const bytes = crypto.getRandomValues(new Uint8Array(6));
    phone.generation = (phone.generation || 0) + 1;
    phone.from = `sim-voice-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
    phone.who.textContent = phone.from;
    phone.log.replaceChildren();
    phone.queue = Promise.resolve();
    stopAudio(phone);
    setCall(phone, null);
  }

  function dial(phone) {
    if (phone.next) hangUp(phone, '(she hangs up)');
    bubble(phone, 'none', '(she calls)');
    call(phone, undefined);
  }

  /** A key on the keypad: a menu takes it at once; a number collects digits until #. */
  function press(phone, key) {
    if (!phone.next) return say(`${phone.title}: press Call first`);
    if (phone.next.listening === 'number') {
      phone.typed += key;
      phone.state.textContent = `typing: ${phone.typed}`;
      if (key !== '#') return;
      const digits = phone.typed;
      phone.typed = '';
      return call(phone, digits, digits);
    }
    call(phone, key, key);
  }

  function hangUp(phone, why) {
    if (!phone.next) return;
    stopAudio(phone);
    bubble(phone, 'none', why);
    setCall(phone, null);
  }

  function setCall(phone, next) {
    phone.next = next;
    phone.typed = '';
    phone.state.textContent = !next ? 'not in a call' : next.listening === 'number' ? 'listening: a number, then #' : 'listening: one key';
  }

  function call(phone, digits, shown) {
    const generation = phone.generation;
    if (shown !== undefined) bubble(phone, 'out', shown);
    const next = phone.queue.then(async () => {
      // keys pressed while the last answer was on its way go with that answer's `next`, as on a phone
      if (generation !== phone.generation || (digits !== undefined && !phone.next)) return;
      const body = digits === undefined ? { from: phone.from } : { from: phone.from, call: phone.next, digits };
      try {
        const response = await fetch('/simulator/calls', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        if (!response.ok) throw new Error(`the service answered ${response.status}: ${await response.text()}`);
        const reply = await response.json();
        if (generation === phone.generation) hear(phone, reply);
      } catch (error) {
        say(`${phone.title}: ${error.message}`);
      }
    });
    phone.queue = next;
    return next;
  }

  /** The prompt: each piece's text, a player for each recording, played one after the other. */
  function hear(phone, reply) {
    stopAudio(phone);
    const item = bubble(phone, 'in', '');
    item.classList.add('heard');
    for (const piece of reply.heard) {
      const line = document.createElement('p');
      line.className = piece.audio ? 'piece recorded' : 'piece spoken';
      line.textContent = piece.text;
      const meta = document.createElement('small');
      meta.className = 'meta';
      meta.textContent = piece.audio ? 'recording' : `read by the ${piece.voice} voice`;
      line.append(meta);
      if (piece.audio) {
        const audio = document.createElement('audio');
        audio.controls = true;
        audio.preload = 'auto';
        audio.src = piece.audio;
        line.append(audio);
        phone.playing.push(audio);
      }
      item.append(line);
    }
    if (reply.heard.length === 0) item.textContent = '(nothing to hear)';
    phone.log.scrollTop = phone.log.scrollHeight;
    playInTurn(phone.playing.slice());
    if (!reply.next) bubble(phone, 'none', '(the call ends)');
    setCall(phone, reply.next);
  }

  function playInTurn(players) {
    const [first, ...rest] = players;
    if (!first) return;
    first.addEventListener('ended', () => playInTurn(rest), { once: true });
    // a browser may refuse to play before the page is used: the players stay, to be played by hand
    first.play().catch(() => undefined);
  }

  function stopAudio(phone) {
    for (const audio of phone.playing || []) audio.pause();
    phone.playing = [];
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
    renewCaller(voice);
    phones[0].input.focus();
  });
})();
