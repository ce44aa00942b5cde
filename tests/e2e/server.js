// A Bot API emulator for briefbot's end-to-end test: telegram-test-api 4.2.1,
// patched so python-telegram-bot 22 can talk to it (../shared/notes/telegram-emulator.md).
//
//   node tests/e2e/server.js [port]     (port 0 or none: any free port)
//
// Listens on 127.0.0.1 only and prints one line, `listening <port>`, once ready.
// The bot side is /bot<token>/<method>; the user side is telegram-test-api's
// /sendMessage, /sendCommand, /sendCallback, /getUpdates, /getUpdatesHistory,
// plus /getMyCommands {token} (what the bot registered with setMyCommands);
// /bot<token>/sendDocument stores the file beside the caption (see below);
// /bot<token>/getWebhookInfo tells whether the bot has set its webhook yet.
'use strict';

const http = require('http');
const path = require('path');
const TelegramServer = require('telegram-test-api');
// express is telegram-test-api's own dependency: resolve it from there so the
// lock file's version is the one used.
const express = require(require.resolve('express', {
  paths: [path.dirname(require.resolve('telegram-test-api'))],
}));

const BOT_USER = {
  id: 666,
  is_bot: true,
  first_name: 'Test First name',
  username: 'TestNameBot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

const seconds = (millis) => Math.floor(millis / 1000);

// Patch 6: the emulator echoes every request parameter back inside the Message
// it returns (parse_mode, and link_preview_options, which the bot's Defaults set
// on every message, as a form-encoded JSON string PTB cannot parse). Answer with
// Message fields only, for sent and edited messages alike.
const asMessage = (stored, messageId, millis) => {
  const markup = stored.reply_markup;
  const message = {
    message_id: messageId,
    date: seconds(millis),
    from: BOT_USER,
    chat: { id: Number(stored.chat_id), type: 'private', first_name: 'Bot' },
    text: stored.text,
  };
  if (markup && markup.inline_keyboard) message.reply_markup = markup;
  return message;
};

// Patch 2: messages the bot sends come back with `date` in milliseconds and no
// `from`; PTB then fails on every reply ("year 58870 is out of range").
const addBotMessage = TelegramServer.prototype.addBotMessage;
TelegramServer.prototype.addBotMessage = function patchedAddBotMessage(rawMessage, botToken) {
  const sent = addBotMessage.call(this, rawMessage, botToken);
  return asMessage(rawMessage, sent.message_id, sent.date);
};

// Patch 3: callback updates lack `chat_instance`, so PTB drops them as unparsable.
const formatUpdate = TelegramServer.formatUpdate;
TelegramServer.formatUpdate = function patchedFormatUpdate(update) {
  const formatted = formatUpdate.call(TelegramServer, update);
  if (formatted.callback_query) {
    const query = formatted.callback_query;
    const chatId = query.message && query.message.chat ? query.message.chat.id : 0;
    formatted.callback_query = { ...query, chat_instance: `chat-${chatId}` };
  }
  return formatted;
};

// Patch 7: setWebhook's secret_token is dropped, so webhook calls come without
// the X-Telegram-Bot-Api-Secret-Token header Telegram sends, and briefbot (which
// always sets a secret) answers 403. Keep it and send it, as Telegram does.
const addUserUpdate = TelegramServer.prototype.addUserUpdate;
TelegramServer.prototype.addUserUpdate = async function patchedAddUserUpdate(update) {
  const webhook = this.webhooks[update.botToken];
  if (!webhook || !webhook.secret_token) return addUserUpdate.call(this, update);
  const resp = await fetch(webhook.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Telegram-Bot-Api-Secret-Token': webhook.secret_token,
    },
    body: JSON.stringify(TelegramServer.formatUpdate(update)),
  });
  if (resp.status > 204) throw new Error(`Webhook invocation failed: HTTP ${resp.status}`);
  this.updateId++;
  return undefined;
};

const emulator = new TelegramServer({ host: '127.0.0.1', storeTimeout: 600 });
const commands = {};

const app = express();
app.use(express.json());
app.use(express.urlencoded({ extended: true }));

const ok = (res, result) => res.json({ ok: true, result });

// Patch 1: getMe lacks `is_bot`, so Application.initialize() raises TypeError.
app.all('/bot:token/getMe', (_req, res) => ok(res, BOT_USER));

// Patch 4: these answer `null`; PTB expects the edited Message or `true`.
app.all('/bot:token/editMessageText', (req, res) => {
  emulator.editMessageText({ ...req.body });
  const stored = emulator.storage.botMessages.find(
    (u) => String(u.messageId) === String(req.body.message_id)
      && String(u.message.chat_id) === String(req.body.chat_id),
  );
  if (!stored) {
    res.status(400).json({ ok: false, error_code: 400, description: 'Bad Request: message to edit not found' });
    return;
  }
  ok(res, asMessage(stored.message, stored.messageId, stored.time));
});
app.all('/bot:token/editMessageReplyMarkup', (req, res) => {
  emulator.editMessageReplyMarkup({ ...req.body });
  ok(res, true);
});
app.all('/bot:token/answerCallbackQuery', (_req, res) => ok(res, true));
app.all('/bot:token/deleteMessage', (req, res) => {
  emulator.deleteMessage(Number(req.body.chat_id), Number(req.body.message_id));
  ok(res, true);
});
app.all('/bot:token/setWebhook', (req, res) => {
  emulator.setWebhook({ url: req.body.url, secret_token: req.body.secret_token }, req.params.token);
  ok(res, true);
});

// Not in telegram-test-api at all (it answers HTTP 500): the bot calls these at
// start-up or while typing, so answer them the way Telegram does.
app.all('/bot:token/setMyCommands', (req, res) => {
  const raw = req.body.commands;
  commands[req.params.token] = typeof raw === 'string' ? JSON.parse(raw) : raw;
  ok(res, true);
});
app.all('/bot:token/sendChatAction', (_req, res) => ok(res, true));
app.all('/bot:token/getWebhookInfo', (req, res) => {
  const hook = emulator.webhooks[req.params.token];
  ok(res, { url: hook ? hook.url : '', has_custom_certificate: false, pending_update_count: 0 });
});
app.post('/getMyCommands', (req, res) => ok(res, commands[req.body.token] || null));

// sendDocument (an exported brief): telegram-test-api has no media at all. PTB
// uploads multipart/form-data; the fields and the file are read here (no
// multipart library ships with the emulator) and the message is stored like a
// text one, its caption as the text and the file (name, UTF-8 content) beside
// it, so the user's /getUpdates shows what arrived.
const multipart = (body, type) => {
  const boundary = /boundary="?([^";]+)"?/.exec(type || '');
  const fields = {};
  const files = {};
  if (!boundary || !Buffer.isBuffer(body)) return { fields, files };
  const text = body.toString('latin1');
  for (const chunk of text.split(`--${boundary[1]}`)) {
    const split = chunk.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = chunk.slice(0, split);
    const value = chunk.slice(split + 4).replace(/\r\n$/, '');
    const name = /name="([^"]*)"/.exec(head);
    const filename = /filename="([^"]*)"/.exec(head);
    if (!name) continue;
    if (filename) {
      files[name[1]] = { file_name: filename[1], content: Buffer.from(value, 'latin1').toString('utf8') };
    } else {
      fields[name[1]] = Buffer.from(value, 'latin1').toString('utf8');
    }
  }
  return { fields, files };
};
app.post('/bot:token/sendDocument', express.raw({ type: 'multipart/form-data', limit: '20mb' }),
  (req, res) => {
    const { fields, files } = multipart(req.body, req.headers['content-type']);
    // PTB uploads the file as the part "document" itself (or as attach://<name>).
    const attach = /^attach:\/\/(.+)$/.exec(fields.document || '');
    const file = files.document || (attach ? files[attach[1]] : undefined);
    if (!fields.chat_id || !file) {
      res.status(400).json({ ok: false, error_code: 400, description: 'Bad Request: there is no document in the request' });
      return;
    }
    const markup = fields.reply_markup ? JSON.parse(fields.reply_markup) : undefined;
    const raw = { chat_id: fields.chat_id, text: fields.caption || '', parse_mode: fields.parse_mode, document: file };
    if (markup) raw.reply_markup = markup;
    const sent = emulator.addBotMessage(raw, req.params.token);
    ok(res, { ...sent, document: { file_id: `doc-${sent.message_id}`, file_unique_id: `u-${sent.message_id}`, file_name: file.file_name } });
  });

// Everything else: telegram-test-api as shipped.
app.use(emulator.webServer);

const port = Number(process.argv[2] || 0);
const server = http.createServer(app);
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
