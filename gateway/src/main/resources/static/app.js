// Storefront console: plain ES module, no framework, no build step. Talks to the gateway's /api/v1/... only.

const SESSION_KEY = 'storefront.session';
const PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 100;

const $ = (id) => document.getElementById(id);

/** A failed API call, from the platform's problem document (application/problem+json). */
class ApiError extends Error {
  constructor({ status = 0, title = '', detail = '', code = '', violations = [], requestId = '' }) {
    super(detail || title || 'The request failed.');
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.code = code;
    this.violations = violations;
    this.requestId = requestId;
  }
}

const state = {
  session: loadSession(),
  refreshing: null,
  products: { query: '', nextPageToken: '', items: [] },
  cart: new Map(),
  pendingOrder: null,
  orders: { nextPageToken: '', items: [] },
  activity: { controller: null },
  ordersReload: null,
};

// ---- session ----------------------------------------------------------------------------------

function loadSession() {
  try {
    const stored = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
    return stored && stored.accessToken && stored.userId ? stored : null;
  } catch {
    return null;
  }
}

function saveSession(session) {
  state.session = {
    accessToken: String(session.accessToken),
    refreshToken: String(session.refreshToken || ''),
    expiresIn: Number(session.expiresIn) || 0,
    userId: String(session.userId),
    roles: Array.isArray(session.roles) ? session.roles.map(String) : [],
  };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(state.session));
}

function clearSession() {
  state.session = null;
  sessionStorage.removeItem(SESSION_KEY);
}

const isAdmin = () => Boolean(state.session && state.session.roles.includes('admin'));

/** One refresh at a time; true when the session was renewed. */
function refreshSession() {
  if (!state.session || !state.session.refreshToken) {
    return Promise.resolve(false);
  }
  if (!state.refreshing) {
    const refreshToken = state.session.refreshToken;
    state.refreshing = api('POST', '/api/v1/auth/refresh', { body: { refreshToken }, auth: false })
      .then((session) => {
        saveSession(session);
        return true;
      })
      .catch(() => false)
      .finally(() => {
        state.refreshing = null;
      });
  }
  return state.refreshing;
}

function sessionExpired() {
  stopActivity();
  clearSession();
  render();
  showError(new ApiError({ detail: 'Your session has expired. Please log in again.' }));
}

// ---- HTTP -------------------------------------------------------------------------------------

/**
 * Calls the API as the current user; a 401 is answered once by refreshing the session and repeating the call
 * (same headers, so an Idempotency-Key is reused). Throws ApiError for every non-2xx answer.
 */
async function api(method, path, { body, headers = {}, auth = true, retried = false } = {}) {
  const sent = { Accept: 'application/json', ...headers };
  if (body !== undefined) {
    sent['Content-Type'] = 'application/json';
  }
  if (auth && state.session) {
    sent.Authorization = `Bearer ${state.session.accessToken}`;
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: sent,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError({ detail: 'The server could not be reached. Check your connection and try again.' });
  }
  if (response.status === 401 && auth && !retried && state.session) {
    if (await refreshSession()) {
      return api(method, path, { body, headers, auth, retried: true });
    }
    sessionExpired();
    throw new ApiError({ status: 401, code: 'UNAUTHENTICATED', detail: 'Your session has expired. Please log in again.' });
  }
  if (!response.ok) {
    throw await problemOf(response);
  }
  const text = await response.text();
  if (!text) {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError({ status: response.status, detail: 'The server sent an answer the console cannot read.' });
  }
}

async function problemOf(response) {
  const requestId = response.headers.get('X-Request-Id') || '';
  let problem = null;
  if ((response.headers.get('Content-Type') || '').includes('json')) {
    try {
      problem = await response.json();
    } catch {
      problem = null;
    }
  }
  if (!problem || typeof problem !== 'object') {
    return new ApiError({ status: response.status, requestId,
      detail: `The request failed (HTTP ${response.status}${response.statusText ? ' ' + response.statusText : ''}).` });
  }
  const text = (value) => (typeof value === 'string' ? value : '');
  const violations = Array.isArray(problem.violations)
    ? problem.violations
      .filter((v) => v && typeof v === 'object')
      .map((v) => ({ field: text(v.field), message: text(v.description) || text(v.message) }))
    : [];
  return new ApiError({
    status: response.status,
    title: text(problem.title),
    detail: text(problem.detail) || text(problem.title) || `The request failed (HTTP ${response.status}).`,
    code: text(problem.code),
    violations,
    requestId: text(problem.requestId) || requestId,
  });
}

// ---- messages ---------------------------------------------------------------------------------

function clearMessages() {
  $('error-alert').replaceChildren();
  $('status-message').textContent = '';
  for (const element of document.querySelectorAll('.field-error')) {
    element.textContent = '';
  }
  for (const element of document.querySelectorAll('[aria-invalid]')) {
    element.removeAttribute('aria-invalid');
    element.removeAttribute('aria-describedby');
  }
}

function showStatus(message) {
  $('status-message').textContent = message;
}

/** Shows an error in the alert region, each violation in the list and next to its field in {@code form}. */
function showError(error, form) {
  const alert = $('error-alert');
  const apiError = error instanceof ApiError
    ? error
    : new ApiError({ detail: `Something went wrong: ${error && error.message ? error.message : String(error)}` });
  const detail = document.createElement('p');
  detail.className = 'alert-detail';
  detail.dataset.testid = 'error-detail';
  detail.textContent = apiError.detail || apiError.message;
  const parts = [detail];
  if (apiError.violations.length > 0) {
    const list = document.createElement('ul');
    list.dataset.testid = 'error-violations';
    for (const violation of apiError.violations) {
      const item = document.createElement('li');
      item.textContent = violation.field ? `${violation.field}: ${violation.message}` : violation.message;
      list.append(item);
      markField(form, violation);
    }
    parts.push(list);
  }
  if (apiError.requestId) {
    const id = document.createElement('p');
    id.className = 'muted small';
    id.textContent = `Request id: ${apiError.requestId}`;
    parts.push(id);
  }
  alert.replaceChildren(...parts);
}

function markField(form, violation) {
  if (!form || !violation.field) {
    return;
  }
  const name = violation.field.replace(/\[\d+\].*$/, '').split('.')[0];
  const target = form.querySelector(`.field-error[data-field="${CSS.escape(name)}"]`);
  if (!target) {
    return;
  }
  target.textContent = target.textContent ? `${target.textContent} ${violation.message}` : violation.message;
  const input = form.elements.namedItem(name);
  if (input && input.setAttribute) {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', target.id);
  }
}

/** Runs a user action: clears old messages, disables the button while it runs, shows any error. */
async function act(button, form, action) {
  clearMessages();
  if (button) {
    button.disabled = true;
  }
  try {
    await action();
  } catch (error) {
    showError(error, form);
  } finally {
    if (button) {
      button.disabled = false;
    }
  }
}

// ---- formatting -------------------------------------------------------------------------------

function money(cents, currency) {
  const amount = Number(cents) / 100;
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency || 'EUR' }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency || ''}`.trim();
  }
}

function when(timestamp) {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}

function element(tag, { text, className, testid } = {}, ...children) {
  const node = document.createElement(tag);
  if (text !== undefined) {
    node.textContent = text;
  }
  if (className) {
    node.className = className;
  }
  if (testid) {
    node.dataset.testid = testid;
  }
  node.append(...children);
  return node;
}

// ---- auth -------------------------------------------------------------------------------------

function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

async function register(event) {
  event.preventDefault();
  const form = event.currentTarget;
  await act(event.submitter, form, async () => {
    const { name, email, password } = formValues(form);
    saveSession(await api('POST', '/api/v1/auth/register', { body: { name, email, password }, auth: false }));
    form.reset();
    signedIn('Welcome! Your account is ready.');
  });
}

async function login(event) {
  event.preventDefault();
  const form = event.currentTarget;
  await act(event.submitter, form, async () => {
    const { email, password } = formValues(form);
    saveSession(await api('POST', '/api/v1/auth/login', { body: { email, password }, auth: false }));
    form.reset();
    signedIn('You are logged in.');
  });
}

async function logout(event) {
  await act(event.currentTarget, null, async () => {
    const session = state.session;
    stopActivity();
    let failure = null;
    try {
      if (session) {
        await api('POST', '/api/v1/auth/logout', { body: { refreshToken: session.refreshToken }, retried: true });
      }
    } catch (error) {
      failure = error;
    }
    clearSession();
    state.cart.clear();
    state.pendingOrder = null;
    render();
    showStatus('You are logged out.');
    if (failure && failure.status !== 401) {
      showError(failure);
    }
  });
}

function signedIn(message) {
  render();
  showStatus(message);
  startShop();
}

function render() {
  const signed = Boolean(state.session);
  $('auth').hidden = signed;
  $('shop').hidden = !signed;
  $('session-bar').hidden = !signed;
  $('admin-panel').hidden = !isAdmin();
  $('session-user').textContent = signed
    ? `Signed in${isAdmin() ? ' as admin' : ''} (user ${state.session.userId.slice(0, 8)})`
    : '';
  if (!signed) {
    $('product-list').replaceChildren();
    $('order-list').replaceChildren();
    $('dead-letter-list').replaceChildren();
    renderCart();
  }
}

function startShop() {
  const load = (promise) => promise.catch((error) => showError(error));
  load(loadProducts(''));
  load(loadOrders());
  if (isAdmin()) {
    load(loadTasks());
  }
  startActivity();
}

// ---- products ---------------------------------------------------------------------------------

async function loadProducts(query, pageToken = '') {
  const params = new URLSearchParams({ query, pageSize: String(PAGE_SIZE), pageToken });
  const page = await api('GET', `/api/v1/products?${params}`);
  const products = Array.isArray(page && page.products) ? page.products : [];
  state.products = {
    query,
    nextPageToken: (page && page.nextPageToken) || '',
    items: pageToken ? [...state.products.items, ...products] : products,
  };
  const list = $('product-list');
  if (!pageToken) {
    list.replaceChildren();
  }
  list.append(...products.map(productItem));
  $('product-empty').hidden = state.products.items.length > 0;
  $('product-more').hidden = !state.products.nextPageToken;
}

function productItem(product) {
  const quantityId = `quantity-${product.id}`;
  const quantity = element('input', {});
  Object.assign(quantity, { id: quantityId, type: 'number', min: '1', step: '1', value: '1', name: 'quantity' });
  quantity.inputMode = 'numeric';
  quantity.dataset.testid = 'order-quantity';
  const label = element('label', { text: 'Quantity' });
  label.htmlFor = quantityId;
  const add = element('button', { text: 'Add to order', testid: 'product-add' });
  add.type = 'button';
  add.setAttribute('aria-label', `Add ${product.name} to order`);
  add.addEventListener('click', () => {
    clearMessages();
    const count = Number.parseInt(quantity.value, 10);
    if (!Number.isInteger(count) || count < 1) {
      showError(new ApiError({ detail: 'Quantity must be a whole number of at least 1.' }));
      return;
    }
    const line = state.cart.get(product.id);
    state.cart.set(product.id, { product, quantity: (line ? line.quantity : 0) + count });
    renderCart();
    showStatus(`Added ${count} × ${product.name} to your order.`);
  });
  const stock = Number(product.stock);
  const item = element('li', { className: 'item', testid: 'product-item' },
    element('div', { className: 'item-main' },
      element('strong', { text: String(product.name ?? ''), testid: 'product-name' }),
      element('span', { text: money(product.priceCents, product.currency), className: 'price', testid: 'product-price' })),
    element('p', { text: String(product.description ?? ''), className: 'muted' }),
    element('p', { text: `SKU ${product.sku} · ${stock > 0 ? `${stock} in stock` : 'out of stock'}`, className: 'small' }),
    element('div', { className: 'row add' }, label, quantity, add));
  item.dataset.productId = String(product.id);
  return item;
}

async function searchProducts(event) {
  event.preventDefault();
  await act(event.submitter, event.currentTarget, () => loadProducts($('product-search').value.trim()));
}

// ---- ordering ---------------------------------------------------------------------------------

function renderCart() {
  const lines = [...state.cart.values()];
  $('cart-list').replaceChildren(...lines.map(({ product, quantity }) => {
    const remove = element('button', { text: 'Remove', className: 'secondary small', testid: 'cart-remove' });
    remove.type = 'button';
    remove.setAttribute('aria-label', `Remove ${product.name} from order`);
    remove.addEventListener('click', () => {
      state.cart.delete(product.id);
      renderCart();
    });
    return element('li', { className: 'item row', testid: 'cart-item' },
      element('span', { text: `${quantity} × ${product.name}`, className: 'grow' }),
      element('span', { text: money(product.priceCents * quantity, product.currency) }),
      remove);
  }));
  $('cart-empty').hidden = lines.length > 0;
  const currency = lines.length > 0 ? lines[0].product.currency : 'EUR';
  const total = lines.reduce((sum, { product, quantity }) => sum + Number(product.priceCents) * quantity, 0);
  $('cart-total').textContent = money(total, currency);
}

async function placeOrder(event) {
  event.preventDefault();
  const form = event.currentTarget;
  await act(event.submitter, form, async () => {
    const body = {
      items: [...state.cart.values()].map(({ product, quantity }) => ({ productId: product.id, quantity })),
      paymentMethod: $('order-payment-method').value,
    };
    // One key per attempt: repeating the same order after a failure reuses it, so it is placed at most once.
    const fingerprint = JSON.stringify(body);
    if (!state.pendingOrder || state.pendingOrder.fingerprint !== fingerprint) {
      state.pendingOrder = { fingerprint, key: crypto.randomUUID() };
    }
    const order = await api('POST', '/api/v1/orders', { body, headers: { 'Idempotency-Key': state.pendingOrder.key } });
    state.pendingOrder = null;
    state.cart.clear();
    renderCart();
    showStatus(`Order placed: ${order && order.status ? order.status : 'received'}.`);
    await loadOrders();
  });
}

// ---- orders -----------------------------------------------------------------------------------

async function loadOrders(pageToken = '', pageSize = PAGE_SIZE) {
  const params = new URLSearchParams({ userId: state.session.userId, pageSize: String(pageSize), pageToken });
  const page = await api('GET', `/api/v1/orders?${params}`);
  const orders = Array.isArray(page && page.orders) ? page.orders : [];
  state.orders = {
    nextPageToken: (page && page.nextPageToken) || '',
    items: pageToken ? [...state.orders.items, ...orders] : orders,
  };
  const list = $('order-list');
  if (!pageToken) {
    list.replaceChildren();
  }
  list.append(...orders.map(orderItem));
  $('order-empty').hidden = state.orders.items.length > 0;
  $('order-more').hidden = !state.orders.nextPageToken;
}

/** Reloads as many orders as are shown, so live updates do not collapse the list to its first page. */
function reloadOrders() {
  if (!state.session) {
    return Promise.resolve();
  }
  const size = Math.min(MAX_PAGE_SIZE, Math.max(PAGE_SIZE, state.orders.items.length));
  return loadOrders('', size);
}

function orderItem(order) {
  const status = String(order.status ?? '');
  const items = Array.isArray(order.items) ? order.items : [];
  const item = element('li', { className: 'item', testid: 'order-item' },
    element('div', { className: 'item-main' },
      element('strong', { text: `Order ${String(order.id).slice(0, 8)}` }),
      element('span', { text: status.replaceAll('_', ' ').toLowerCase(), className: `badge status-${status.toLowerCase()}`,
        testid: 'order-status' })),
    element('p', { text: `${money(order.totalCents, order.currency)} · ${when(order.createdAt)}`, className: 'small' }),
    element('ul', { className: 'lines small' }, ...items.map((line) =>
      element('li', { text: `${line.quantity} × ${line.productName ?? line.productId}` }))));
  if (order.failureReason) {
    item.append(element('p', { text: `Reason: ${order.failureReason}`, className: 'failure', testid: 'order-failure' }));
  }
  item.dataset.orderId = String(order.id);
  item.dataset.status = status;
  return item;
}

// ---- live activity (SSE over fetch, since EventSource cannot send Authorization) --------------

function setLive(stateName, text) {
  const live = $('live-status');
  live.dataset.state = stateName;
  live.textContent = text;
}

function stopActivity() {
  if (state.activity.controller) {
    state.activity.controller.abort();
    state.activity.controller = null;
  }
  setLive('off', 'Live updates off');
}

function startActivity() {
  stopActivity();
  const controller = new AbortController();
  state.activity.controller = controller;
  watchActivity(controller.signal);
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

async function watchActivity(signal) {
  let failures = 0;
  let connectedBefore = false;
  let refreshed = false;
  while (!signal.aborted && state.session) {
    try {
      const response = await fetch(`/api/v1/users/${encodeURIComponent(state.session.userId)}/activity`, {
        headers: { Accept: 'text/event-stream', Authorization: `Bearer ${state.session.accessToken}` },
        cache: 'no-store',
        signal,
      });
      if (response.status === 401) {
        if (refreshed) {
          throw new Error('HTTP 401 with a fresh token');
        }
        if (await refreshSession()) {
          refreshed = true;
          continue;
        }
        if (!signal.aborted) {
          sessionExpired();
        }
        return;
      }
      if (!response.ok || !response.body) {
        throw new Error(`HTTP ${response.status}`);
      }
      setLive('on', 'Live updates on');
      failures = 0;
      refreshed = false;
      if (connectedBefore) {
        // Activities may have been missed while disconnected.
        scheduleOrdersReload();
      }
      connectedBefore = true;
      await readEvents(response.body, onServerEvent, signal);
    } catch {
      // Reconnected below, unless aborted.
    }
    if (signal.aborted) {
      return;
    }
    setLive('reconnecting', 'Live updates reconnecting…');
    const delay = Math.min(30000, 1000 * 2 ** failures) * (0.5 + Math.random() / 2);
    failures = Math.min(failures + 1, 10);
    await sleep(Math.max(1000, delay), signal);
  }
}

/** Reads a text/event-stream body, calling onEvent({event, data, id}) for each complete event. */
async function readEvents(body, onEvent, signal) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  signal.addEventListener('abort', () => reader.cancel().catch(() => {}), { once: true });
  let buffer = '';
  let event = { event: '', data: [], id: '' };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value;
    // A trailing \r may be the first half of a \r\n split across chunks: it stays in the buffer.
    const lines = buffer.split(/\r\n|\r(?!$)|\n/);
    buffer = lines.pop();
    for (const line of lines) {
      if (line === '') {
        if (event.data.length > 0) {
          onEvent({ event: event.event || 'message', data: event.data.join('\n'), id: event.id });
        }
        event = { event: '', data: [], id: '' };
        continue;
      }
      if (line.startsWith(':')) {
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) {
        value = value.slice(1);
      }
      if (field === 'data') {
        event.data.push(value);
      } else if (field === 'event') {
        event.event = value;
      } else if (field === 'id') {
        event.id = value;
      }
    }
  }
}

function onServerEvent({ event, data }) {
  if (event !== 'activity' && event !== 'message') {
    return;
  }
  let activity;
  try {
    activity = JSON.parse(data);
  } catch {
    return;
  }
  const type = activity && typeof activity.activityType === 'string' ? activity.activityType : '';
  if (type.startsWith('order.')) {
    scheduleOrdersReload();
  }
}

/** Several activities in a burst (created, paid) make one reload. */
function scheduleOrdersReload() {
  clearTimeout(state.ordersReload);
  state.ordersReload = setTimeout(() => {
    reloadOrders().catch((error) => showError(error));
  }, 250);
}

// ---- admin ------------------------------------------------------------------------------------

async function createProduct(event) {
  event.preventDefault();
  const form = event.currentTarget;
  await act(event.submitter, form, async () => {
    const values = formValues(form);
    const number = (text) => (String(text).trim() === '' ? null : Number(text));
    const product = await api('POST', '/api/v1/products', {
      body: {
        sku: values.sku,
        name: values.name,
        description: values.description,
        priceCents: number(values.priceCents),
        currency: String(values.currency).trim().toUpperCase(),
        stock: number(values.stock),
      },
    });
    form.reset();
    showStatus(`Product “${product && product.name ? product.name : values.name}” created.`);
    await loadProducts(state.products.query);
  });
}

async function loadTasks() {
  const [stats, deadLetters] = await Promise.all([
    api('GET', '/api/v1/tasks/stats'),
    api('GET', '/api/v1/tasks/dead-letters'),
  ]);
  const set = (testid, value) => {
    document.querySelector(`[data-testid="${testid}"]`).textContent = String(value ?? '–');
  };
  set('task-stats-ready', stats && stats.ready);
  set('task-stats-delayed', stats && stats.delayed);
  set('task-stats-dead-lettered', stats && stats.deadLettered);
  set('task-stats-in-flight', stats && stats.inFlight);
  const types = Array.isArray(stats && stats.types) ? stats.types : [];
  $('task-types').replaceChildren(...types.map((type) => {
    const row = element('tr', { testid: 'task-type' });
    row.append(element('th', { text: String(type.type ?? '') }),
      ...['enqueued', 'completed', 'failed', 'retried'].map((key) => element('td', { text: String(type[key] ?? 0) })));
    row.firstChild.scope = 'row';
    return row;
  }));
  const tasks = Array.isArray(deadLetters && deadLetters.tasks) ? deadLetters.tasks : [];
  $('dead-letter-list').replaceChildren(...tasks.map((task) =>
    element('li', { className: 'item', testid: 'dead-letter-item' },
      element('div', { className: 'item-main' },
        element('strong', { text: String(task.type ?? '') }),
        element('span', { text: `${task.retries ?? 0} retries`, className: 'small' })),
      element('p', { text: String(task.lastError ?? ''), className: 'failure small' }),
      element('p', { text: `${when(task.failedAt)} · ${task.id}`, className: 'muted small' }))));
  $('dead-letter-empty').hidden = tasks.length > 0;
}

async function redrive(event) {
  await act(event.currentTarget, null, async () => {
    const result = await api('POST', '/api/v1/tasks/dead-letters/redrive', { body: {} });
    const count = Number(result && result.redriven) || 0;
    showStatus(`${count} dead letter${count === 1 ? '' : 's'} redriven.`);
    await loadTasks();
  });
}

// ---- wiring -----------------------------------------------------------------------------------

function start() {
  $('register-form').addEventListener('submit', register);
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  $('search-form').addEventListener('submit', searchProducts);
  $('product-more').addEventListener('click', (event) =>
    act(event.currentTarget, null, () => loadProducts(state.products.query, state.products.nextPageToken)));
  $('order-form').addEventListener('submit', placeOrder);
  $('order-refresh').addEventListener('click', (event) => act(event.currentTarget, null, () => reloadOrders()));
  $('order-more').addEventListener('click', (event) =>
    act(event.currentTarget, null, () => loadOrders(state.orders.nextPageToken)));
  $('product-form').addEventListener('submit', createProduct);
  $('task-refresh').addEventListener('click', (event) => act(event.currentTarget, null, () => loadTasks()));
  $('redrive').addEventListener('click', redrive);
  render();
  renderCart();
  if (state.session) {
    startShop();
  }
}

start();
