// Runs the loader's source (checkout.js) under Node with the constants the
// server injects (server/web/testdata/loader-defines.json, kept current by
// TestLoaderDefinesFile) and a small DOM stub: `node --test embed/static/`.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const src = fs.readFileSync(path.join(__dirname, "checkout.js"), "utf8");
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, "../../server/web/testdata/loader-defines.json"), "utf8"));

// el is a DOM element: attributes, style, listeners, children.
function el(doc, tag, attrs = {}) {
  const e = {
    tagName: tag.toUpperCase(), nodeType: 1, children: [], parentNode: null, listeners: {}, _attrs: { ...attrs },
    style: { cssText: "", display: "" }, textContent: "", className: "", ownerDocument: doc,
    get attributes() { return Object.entries(this._attrs).map(([name, value]) => ({ name, value })); },
    get isConnected() { let n = this; while (n.parentNode) n = n.parentNode; return n === doc.documentElement; },
    setAttribute(k, v) { this._attrs[k] = String(v); },
    addEventListener(n, f) { (this.listeners[n] ||= []).push(f); },
    dispatch(n) { (this.listeners[n] || []).forEach((f) => f({ type: n, target: this })); },
    appendChild(c) { c.parentNode = this; this.children.push(c); doc.added.push(c); return c; },
    prepend(c) { c.parentNode = this; this.children.unshift(c); doc.added.push(c); },
    after(c) { const p = this.parentNode; c.parentNode = p; p.children.splice(p.children.indexOf(this) + 1, 0, c); doc.added.push(c); },
    removeChild(c) { this.children.splice(this.children.indexOf(c), 1); c.parentNode = null; },
    closest() { return null; },
    focus() { doc.activeElement = this; },
    matches(q) { return q === "span[data-app-id]" && this.tagName === "SPAN" && "data-app-id" in this._attrs; },
    querySelectorAll(q) {
      const out = [];
      const walk = (n) => n.children.forEach((c) => { if (c.matches(q)) out.push(c); walk(c); });
      walk(this);
      return out;
    },
  };
  return e;
}

// page builds a merchant page holding spans and runs the loader in it.
// server says whether the widget's server answers the loader's probe.
function page(spans, { language = "en-US", server = "up" } = {}) {
  const timers = [], probes = [];
  const doc = { readyState: "complete", added: [], listeners: {} };
  doc.documentElement = el(doc, "html");
  doc.body = doc.documentElement.appendChild(el(doc, "body"));
  doc.createElement = (t) => el(doc, t);
  doc.querySelector = () => null;
  doc.addEventListener = (n, f) => (doc.listeners[n] ||= []).push(f);
  doc.currentScript = { src: "http://localhost:8080/client/checkout.js" };
  const win = { listeners: {}, events: [] };
  Object.assign(win, {
    addEventListener: (n, f) => (win.listeners[n] ||= []).push(f),
    dispatchEvent: (e) => win.events.push(e),
  });
  const spanEls = spans.map((a) => doc.body.appendChild(el(doc, "span", a)));
  doc.added.length = 0;
  const ctx = vm.createContext({
    window: win, document: doc, K: fixture.K, URL, JSON, Object, Promise, Error, console,
    location: { href: "http://127.0.0.1:3000/" }, navigator: { language },
    CustomEvent: class { constructor(type, o) { this.type = type; this.detail = o.detail; } },
    MutationObserver: class { observe() {} },
    CSS: { escape: (s) => s },
    setTimeout: (f, ms) => timers.push({ f, ms }),
    fetch: (url) => {
      probes.push(url);
      return server === "up" ? Promise.resolve({ type: "opaque" }) : Promise.reject(new TypeError("Failed to fetch"));
    },
  });
  vm.runInContext(src, ctx);
  return { win, doc, spans: spanEls, timers, probes, frames: () => doc.added.filter((n) => n.tagName === "IFRAME"), ctx };
}

test("a launch button at once, and no iframe (no request) before the buyer shows intent", () => {
  const p = page([{ "data-app-id": "jwt1", "data-amount": "1000" }, { "data-app-id": "jwt2" }]);
  const buttons = p.spans.map((s) => s.children[0]);
  assert.deepStrictEqual(buttons.map((b) => b && b.tagName), ["BUTTON", "BUTTON"]);
  assert.strictEqual(buttons[0].textContent, fixture.K.defaultText);
  assert.strictEqual(typeof p.win.UnivapayCheckout.create, "function");
  assert.strictEqual(p.frames().length, 0, "an iframe was made before any intent");

  buttons[1].dispatch("pointerenter");
  assert.strictEqual(p.frames().length, 1);
  assert.strictEqual(p.frames()[0].src, "http://localhost:8080/checkout?appId=jwt2&cid=uc2");
  assert.strictEqual(p.frames()[0].style.cssText.includes("display:none"), true, "a popup's iframe stays hidden until the click");

  buttons[1].dispatch("click");
  assert.strictEqual(p.frames().length, 1, "the click reuses the iframe the pointer made");
  assert.ok(p.frames()[0].style.display === "block");
});

test("create() makes no iframe before open()", () => {
  const p = page([]);
  const c = p.win.UnivapayCheckout.create({ appId: "jwt", amount: 100, currency: "jpy" });
  assert.strictEqual(p.frames().length, 0);
  c.open();
  assert.strictEqual(p.frames().length, 1);
});

test("data-hover-style applies on hover and on keyboard focus", () => {
  const p = page([{ "data-app-id": "jwt", "data-style": "color: red", "data-hover-style": "color: blue" }]);
  const b = p.spans[0].children[0];
  const base = b.style.cssText;
  assert.strictEqual(base, "color: red");
  b.dispatch("focus");
  assert.strictEqual(b.style.cssText, "color: red;color: blue");
  b.dispatch("mouseenter");
  b.dispatch("mouseleave");
  assert.strictEqual(b.style.cssText, "color: red;color: blue", "leaving with the pointer keeps the focus style");
  b.dispatch("blur");
  assert.strictEqual(b.style.cssText, base);
  b.dispatch("mouseenter");
  assert.strictEqual(b.style.cssText, "color: red;color: blue");
});

// A frame that never says hello: the loader asks the widget's server
// whether it answers. Up: the domain was refused (INVALID_DOMAIN, as
// widget.BlockedFrame); down: a network error (widget.UnreachableFrame). The
// message is in the widget's locale (data-locale), else the browser's.
for (const [name, server, want] of [["blocked", "up", "blocked"], ["unreachable", "down", "unreachable"]]) {
  for (const [lang, attrs, language] of [
    ["en", {}, "en-US"], ["ja", {}, "ja-JP"], ["ja", { "data-locale": "ja" }, "en-US"], ["en", { "data-locale": "en" }, "ja-JP"],
  ]) {
    test(`a frame that never says hello, server ${server}: ${want} (${lang}, ${JSON.stringify(attrs)}, browser ${language})`, async () => {
      const p = page([{ "data-app-id": "jwt", ...attrs }], { language, server });
      const b = p.spans[0].children[0];
      b.dispatch("click");
      const submitted = p.win.UnivapayCheckout.submit(p.frames()[0]).then(() => null, (err) => err);
      p.frames()[0].dispatch("load");
      p.timers.filter((t) => t.ms === 1500).forEach((t) => t.f());
      await new Promise((r) => setImmediate(r));
      assert.deepStrictEqual(p.probes, ["http://localhost:8080/heartbeat"]);
      const w = fixture[want][lang];
      assert.strictEqual(p.win.events.length, 1);
      assert.strictEqual(p.win.events[0].type, fixture.K.EventError);
      assert.deepStrictEqual(JSON.parse(JSON.stringify(p.win.events[0].detail)), w.detail);
      const err = await submitted;
      assert.ok(err, "submit() resolved");
      assert.deepStrictEqual(JSON.parse(JSON.stringify({ ...err, message: err.message })), w.reject);
      assert.strictEqual(b.disabled, true);
    });
  }
}
