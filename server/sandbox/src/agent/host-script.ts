/**
 * The browser half of the preview: it plays Zendesk's side of the ZAF protocol for the app iframe
 * (handshake → app.registered, get/set/invoke with ids, events keyed `zaf.<event>`, and `request:N`
 * answered with `zaf.request:N.done|fail` after the server-side proxy has run). Plain ES2020 so the
 * page needs no build step; it reads its data from the JSON in #preview-config.
 */
export const HOST_SCRIPT = String.raw`
(() => {
  const config = JSON.parse(document.getElementById('preview-config').textContent);
  const iframe = document.getElementById('app-frame');
  const appOrigin = location.origin;
  const clusterInput = document.getElementById('cluster-id');
  const statusLine = document.getElementById('host-status');
  const subscriptions = new Map();
  const ticket = config.ticket;
  let colorScheme = config.colorScheme;
  const clusterPath = config.clusterIdFieldId ? 'ticket.customField:custom_field_' + config.clusterIdFieldId : null;
  window.__zafHost = { sent: [], received: [], resizes: [] };

  function send(message) {
    window.__zafHost.sent.push(message);
    iframe.contentWindow.postMessage(JSON.stringify(message), appOrigin);
  }

  function fire(event, data) {
    send({ key: 'zaf.' + event, message: data, instanceGuid: config.context.instanceGuid });
  }

  function valueOf(path) {
    switch (path) {
      case 'ticket.id': return ticket.id;
      case 'ticket.subject': return ticket.subject;
      case 'ticket.status': return ticket.status;
      case 'ticket.priority': return ticket.priority;
      case 'ticket.requester': return { name: ticket.requesterName };
      case 'ticket': return { id: ticket.id, subject: ticket.subject, status: ticket.status, priority: ticket.priority, requester: { name: ticket.requesterName } };
      case 'currentUser': return config.currentUser;
      case 'currentAccount': return { subdomain: config.context.account.subdomain };
      case 'colorScheme': return colorScheme;
      default:
        if (clusterPath && path === clusterPath) return clusterInput.value === '' ? null : clusterInput.value;
        if (/^ticket\.customField:custom_field_\d+$/.test(path)) return null;
        throw { name: 'InvalidPathError', message: 'Invalid path', path: path };
    }
  }

  function answerGet(id, paths) {
    const result = { errors: {} };
    for (const path of paths) {
      try { result[path] = valueOf(path); } catch (error) { result.errors[path] = error; }
    }
    send({ id: id, result: result });
  }

  function answerSet(id, values) {
    const result = { errors: {} };
    for (const [path, value] of Object.entries(values)) {
      if (clusterPath && path === clusterPath) {
        clusterInput.value = value == null ? '' : String(value);
        result[path] = value;
        fire('ticket.custom_field_' + config.clusterIdFieldId + '.changed', value);
      } else {
        result.errors[path] = { name: 'InvalidPathError', message: 'Cannot set this path', path: path };
      }
    }
    send({ id: id, result: result });
  }

  function answerInvoke(id, calls) {
    const result = { errors: {} };
    for (const [name, args] of Object.entries(calls)) {
      if (name === 'resize') {
        const size = args[0] || {};
        if (size.height) iframe.style.height = /^\d+$/.test(String(size.height)) ? size.height + 'px' : String(size.height);
        window.__zafHost.resizes.push(size.height);
        result[name] = null;
      } else {
        result.errors[name] = { name: 'InvalidActionError', message: 'Unsupported action in the preview', path: name };
      }
    }
    send({ id: id, result: result });
  }

  async function answerRequest(key, options) {
    let answer;
    try {
      const response = await fetch(config.proxyUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ticketId: ticket.id, request: options }),
      });
      answer = await response.json();
    } catch (error) {
      answer = { status: 0, statusText: 'error', responseText: '', contentType: null };
    }
    const isJson = options.dataType === 'json' || (!options.dataType && (answer.contentType || '').includes('json'));
    let parsed;
    if (isJson) { try { parsed = JSON.parse(answer.responseText); } catch (error) { parsed = undefined; } }
    const xhr = { status: answer.status, statusText: answer.statusText, responseText: answer.responseText, responseJSON: parsed };
    if (answer.status >= 200 && answer.status < 300 && (!isJson || parsed !== undefined)) {
      send({ key: 'zaf.' + key + '.done', message: { responseArgs: [isJson ? parsed : answer.responseText, 'success', xhr] } });
    } else {
      send({ key: 'zaf.' + key + '.fail', message: { responseArgs: [xhr, 'error', answer.statusText] } });
    }
  }

  window.addEventListener('message', (event) => {
    if (event.source !== iframe.contentWindow || event.origin !== appOrigin) return;
    let data = event.data;
    if (typeof data === 'string') { try { data = JSON.parse(data); } catch (error) { return; } }
    if (!data || data.appGuid !== config.appGuid) return;
    window.__zafHost.received.push(data);
    if (data.request === 'get') return answerGet(data.id, data.params);
    if (data.request === 'set') return answerSet(data.id, data.params);
    if (data.request === 'invoke') return answerInvoke(data.id, data.params);
    const key = data.key || '';
    if (key === 'iframe.handshake') {
      return send({ key: 'zaf.app.registered', message: { metadata: config.metadata, context: config.context }, instanceGuid: config.context.instanceGuid });
    }
    if (key.startsWith('iframe.on:')) return subscriptions.set(key.slice(10), data.message && data.message.subscriberCount);
    if (key.startsWith('iframe.off:')) return subscriptions.set(key.slice(11), data.message && data.message.subscriberCount);
    if (/^request:\d+$/.test(key)) return answerRequest(key, data.message || {});
  });

  if (clusterPath) {
    clusterInput.addEventListener('input', () => {
      fire('ticket.custom_field_' + config.clusterIdFieldId + '.changed', clusterInput.value === '' ? null : clusterInput.value);
    });
  }

  // Zendesk's dark mode for apps: the colorScheme property, its URL parameter, and colorScheme.changed.
  const schemeButton = document.getElementById('color-scheme');
  schemeButton.addEventListener('click', () => {
    colorScheme = colorScheme === 'dark' ? 'light' : 'dark';
    document.body.className = colorScheme;
    schemeButton.setAttribute('aria-pressed', String(colorScheme === 'dark'));
    fire('colorScheme.changed', colorScheme);
  });

  document.getElementById('ticket-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    fire('ticket.submit.start');
    statusLine.textContent = 'Submitting…';
    try {
      const response = await fetch(config.submitUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ clusterId: clusterInput.value === '' ? null : clusterInput.value }),
      });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      statusLine.textContent = 'Ticket updated';
      fire('ticket.submit.done');
      fire('ticket.saved');
    } catch (error) {
      statusLine.textContent = 'Submit failed: ' + error.message;
      fire('ticket.submit.fail');
    }
    fire('ticket.submit.always');
  });

  iframe.src = config.appPath + '?origin=' + encodeURIComponent(appOrigin) + '&app_guid=' + encodeURIComponent(config.appGuid) + '&colorScheme=' + encodeURIComponent(colorScheme);
})();
`
