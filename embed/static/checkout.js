/* Kessai checkout loader (client/checkout.js). No business logic: options go
   raw to the widget iframe, which validates them and answers with messages
   this file carries out (docs/architecture.md, "The message contract").

   K.* are constants of package widget, replaced at build time by esbuild's
   define (server/web, loaderDefines); properties ending in "_" are mangled.
   Nothing is requested from the widget's origin before the buyer shows
   intent: a popup's iframe is made when the buyer points at, focuses or
   clicks its button, or calls open(). */
/* global K */
(function (w, d) {
  "use strict";
  if (w.UnivapayCheckout) return;
  var cur = d.currentScript || d.querySelector('script[src*="/client/checkout.js"]');
  var ORIGIN = new URL(cur ? cur.src : location.href).origin;
  var all = [], seq = 0, de = d.documentElement;

  function isTrue(v) { return v === true || v === 1 || v === "" || /^(true|1)$/i.test(v); }
  function find(f) { for (var i = 0; i < all.length; i++) if (all[i].f_ && (all[i].f_ === f || all[i].f_.contentWindow === f)) return all[i]; }
  function send(u, m) { u.f_.contentWindow.postMessage(JSON.stringify(m), ORIGIN); }
  function post(u, m) { if (u.ready_) send(u, m); else u.q_.push(m); }
  function emit(u, name, cb, detail) {
    var fn = u.cbs_[cb];
    if (typeof fn == "function") try { fn(detail); } catch (e) { console.error(e); }
    w.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }
  function formOf(u) {
    var f = u.form_;
    if (typeof f == "string") f = d.querySelector(f);
    return f || (u.span_ || u.f_).closest("form") || u.clickForm_ || null;
  }
  function drop(n) { n && n.parentNode && n.parentNode.removeChild(n); }

  function frame(u) {
    var f = u.f_ = d.createElement("iframe"), s = "display:block;width:100%;border:0;";
    f.src = ORIGIN + "/checkout?appId=" + encodeURIComponent(u.appId_ || "") + "&cid=" + u.id_ + (u.inline_ ? "&inline=1" : "");
    f.title = "UnivaPay";
    f.setAttribute("allow", "payment");
    if (u.inline_) {
      f.name = "univapay-checkout-connector";
      f.style.cssText = s + "height:360px";
      if (u.span_) u.span_.after(f);
      else {
        var t = typeof u.target_ == "string" ? d.querySelector(u.target_) : u.target_;
        if (t) t.appendChild(f); else d.body.prepend(f);
      }
    } else {
      f.setAttribute("allowtransparency", "true");
      f.style.cssText = s + "display:none;position:fixed;top:0;left:0;height:100%;margin:0;z-index:2147483647;background:transparent;color-scheme:normal";
      d.body.appendChild(f);
    }
    var dead = function () { if (!u.alive_) blocked(u); };
    f.addEventListener("load", function () { setTimeout(dead, 1500); });
    setTimeout(dead, 20000);
    return u;
  }

  // blocked reports a frame that never said hello. If the widget's server
  // answers, the page's domain is not one of the app token's
  // (frame-ancestors), as UnivaPay's API would say it; if it does not, the
  // checkout could not load (a network error). The message follows the
  // widget's locale.
  function blocked(u) {
    if (u.dead_) return;
    u.dead_ = true;
    drop(u.f_);
    if (u.b_) u.b_.disabled = true;
    var l = u.raw_[K.localeAttr] || u.raw_[K.localeName];
    l = /^ja/i.test(!l || l == "auto" ? navigator.language : l);
    fetch(ORIGIN + "/heartbeat", { mode: "no-cors", cache: "no-store" }).then(function () {
      fail(u, l ? K.blockedJA : K.blockedEN, K.blockedCode, K.blockedStatus);
    }, function () {
      fail(u, l ? K.downJA : K.downEN, u.code_ = K.downCode);
    });
  }

  function fail(u, msg, code, st) {
    var detail = { code: code, error: { error: { code: code, httpStatus: st, message: msg } }, message: msg, stage: K.blockedStage };
    emit(u, K.EventError, K.ErrorCallback, detail);
    settle(u, false, Object.assign(st ? { errors: [], status: st } : {}, { type: K.blockedType }, detail));
  }

  function settle(u, ok, v) {
    var p = u.p_;
    if (!p) return;
    u.p_ = null;
    if (ok) p.res_(v);
    else p.rej_(Object.assign(new Error(v && v.message), v));
  }

  function show(u) {
    if (u.inline_ || u.dead_) return;
    u.f_.style.display = "block";
    u.overflow_ = de.style.overflow;
    de.style.overflow = "hidden";
    u.f_.focus();
  }
  function hide(u) {
    if (u.inline_ || !u.f_ || u.f_.style.display == "none") return;
    u.f_.style.display = "none";
    de.style.overflow = u.overflow_ || "";
    if (u.b_ && u.b_.isConnected) u.b_.focus();
  }

  // make registers an instance; an inline form's iframe is made at once.
  function make(o) {
    var u = { id_: "uc" + ++seq, q_: [], cbs_: {} };
    for (var k in o) u[k] = o[k];
    all.push(u);
    return u.inline_ ? frame(u) : u;
  }
  function ensure(u) { return u.f_ ? u : frame(u); }
  function remove(u) { all.splice(all.indexOf(u), 1); }

  function teardown(u) {
    remove(u);
    if (u.f_) { hide(u); drop(u.f_); }
    drop(u.b_);
    settle(u, false, { code: "REMOVED", message: "The checkout was removed from the page." });
  }

  w.addEventListener("message", function (e) {
    var u = e.origin == ORIGIN && find(e.source), m, f, n;
    if (!u) return;
    try { m = JSON.parse(e.data); } catch (x) { return; }
    switch (m.type) {
      case K.MsgHello: u.alive_ = true; break;
      case K.MsgReady:
        u.alive_ = u.ready_ = true;
        send(u, { type: K.MsgInit, source: u.source_, options: u.raw_, mode: u.inline_ ? K.ModeInline : K.ModePopup, payButton: !!u.payButton_, connectorId: u.id_ });
        while (u.q_.length) send(u, u.q_.shift());
        break;
      case K.MsgEvent: emit(u, m.name, m.callback, m.detail); break;
      case K.MsgInputs:
        if (!(f = formOf(u))) { console.warn("UnivapayCheckout: no form for the result inputs"); break; }
        for (n in m.fields) {
          f.querySelectorAll('input[type="hidden"][name="' + CSS.escape(n) + '"]').forEach(drop);
          var inp = d.createElement("input");
          inp.type = "hidden"; inp.name = n; inp.value = m.fields[n];
          f.appendChild(inp);
        }
        break;
      case K.MsgResize: if (u.inline_) u.f_.style.height = m.data.height + "px"; break;
      case K.MsgClosed:
        if (m.removeFrame) {
          // checkout.close() of an inline form: the iframe goes; the next
          // open() starts a new one.
          remove(u);
          drop(u.f_);
          settle(u, false, { code: "REMOVED", message: "The checkout was closed." });
          break;
        }
        hide(u);
        if (m.removeButton) drop(u.b_);
        if (m.submit && (f = formOf(u))) f.submit();
        break;
      case K.MsgResult: settle(u, m.ok, m.ok ? m.value : m.error); break;
      case K.MsgConsole: console[m.level == "error" ? "error" : "warn"](String(m.text));
    }
  });

  function initSpan(s) {
    if (s._uc) return;
    s._uc = 1;
    var raw = {}, a = s.attributes, i, hover = 0, focus = 0;
    for (i = 0; i < a.length; i++) if (!a[i].name.indexOf("data-")) raw[a[i].name] = a[i].value;
    var o = { source_: K.SourceHTML, raw_: raw, span_: s, appId_: raw[K.appIdAttr], inline_: isTrue(raw[K.inlineAttr]) };
    if (o.inline_) { s.style.display = "none"; make(o); return; }
    var b = o.b_ = d.createElement("button"), st = raw[K.styleAttr], hv = raw[K.hoverStyleAttr];
    b.type = "button";
    b.textContent = K.textAttrs.split(",").map(function (n) { return raw[n]; }).filter(Boolean)[0] || K.defaultText;
    b.className = ("univapay-payment-checkout " + (raw[K.classAttr] || "")).trim();
    b.style.cssText = st || "background:#ee7a00;color:#fff;border:0;border-radius:4px;cursor:pointer;padding:" +
      ({ small: "6px 12px;font-size:13px", large: "14px 28px;font-size:18px" }[raw[K.sizeAttr]] || "10px 20px;font-size:15px");
    st = b.style.cssText;
    // data-hover-style applies while the pointer is over the button and
    // while it has the keyboard focus.
    function restyle() { b.style.cssText = st + (hover || focus ? ";" + hv : ""); }
    function on(n, f) { b.addEventListener(n, f, { passive: true }); }
    if (hv) {
      on("mouseenter", function () { hover = 1; restyle(); });
      on("mouseleave", function () { hover = 0; restyle(); });
      on("focus", function () { focus = 1; restyle(); });
      on("blur", function () { focus = 0; restyle(); });
    }
    s.appendChild(b);
    var u = make(o);
    ["pointerenter", "focus", "touchstart"].forEach(function (n) { on(n, function () { ensure(u); }); });
    on("click", function () { show(ensure(u)); post(u, { type: K.MsgOpen }); });
  }

  function scan(n) {
    if (n.nodeType != 1) return;
    var q = "span[" + K.appIdAttr + "]";
    if (n.matches(q)) initSpan(n);
    n.querySelectorAll(q).forEach(initSpan);
  }

  function start() {
    scan(de);
    new MutationObserver(function (ms) {
      ms.forEach(function (m) { m.addedNodes.forEach(scan); });
      all.slice().forEach(function (u) { var n = u.span_ || u.f_; if (n && !n.isConnected) teardown(u); });
    }).observe(de, { childList: true, subtree: true });
  }
  function whenBody(fn) { if (d.body) fn(); else d.addEventListener("DOMContentLoaded", fn); }
  if (d.readyState == "loading") d.addEventListener("DOMContentLoaded", start); else start();

  w.UnivapayCheckout = {
    create: function (opts) {
      var raw = {}, cbs = {}, o = opts || {}, u, k;
      for (k in o) {
        if (typeof o[k] == "function") cbs[k] = o[k];
        else if (k != "form" && k != "target") raw[k] = o[k];
      }
      var base = { source_: K.SourceJS, raw_: raw, cbs_: cbs, appId_: raw[K.appIdName], inline_: isTrue(raw[K.inlineName]),
        form_: o.form, target_: o.target, payButton_: true };
      function get() { return u && !u.dead_ && all.indexOf(u) >= 0 ? u : (u = make(base)); }
      return {
        open: function () {
          var ev = w.event, t = ev && ev.target;
          whenBody(function () {
            var v = ensure(get());
            if (t && t.closest) v.clickForm_ = t.closest("form");
            v.b_ = v.b_ || (t && t.tagName == "BUTTON" ? t : null);
            show(v);
            post(v, { type: K.MsgOpen });
          });
        },
        close: function () { if (u) post(u, { type: K.MsgClose }); },
        submit: function () { return w.UnivapayCheckout.submit(u && u.f_); }
      };
    },
    submit: function (f) {
      var u = f && find(f), p;
      if (!u) return Promise.reject(Object.assign(new Error("Not a UnivaPay checkout iframe."), { code: "INVALID_IFRAME" }));
      if (u.dead_) return Promise.reject(Object.assign(new Error("The checkout could not be loaded."), { code: u.code_ || K.blockedCode }));
      if (!u.p_) {
        u.p_ = p = {};
        p.promise_ = new Promise(function (res, rej) { p.res_ = res; p.rej_ = rej; });
        post(u, { type: K.MsgSubmit });
      }
      return u.p_.promise_;
    }
  };
})(window, document);
