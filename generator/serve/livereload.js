(function () {
  "use strict";
  var state = __DIGEST_STATE__;
  var OVERLAY = "__digest-overlay";
  function show(problems) {
    var old = document.getElementById(OVERLAY);
    if (old) old.remove();
    if (!problems || !problems.length) return;
    var box = document.createElement("div");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;" +
      "background:rgba(20,20,20,.94);color:#f3f3f3;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace;";
    var h = document.createElement("h2");
    h.textContent = "digest: the last rebuild failed — showing the last good version of the site";
    h.style.cssText = "color:#ff8a80;font-size:1.1rem;margin:0 0 1rem;";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Hide this message");
    close.style.cssText = "position:absolute;top:1rem;right:1rem;font:inherit;font-size:1.5rem;line-height:1;" +
      "background:none;color:inherit;border:0;cursor:pointer;";
    close.addEventListener("click", function () { box.remove(); });
    box.appendChild(close);
    box.appendChild(h);
    problems.forEach(function (p) {
      var item = document.createElement("div");
      item.style.cssText = "margin:0 0 1rem;padding:.75rem 1rem;border-left:4px solid #ff5252;background:#2b2b2b;";
      var where = document.createElement("div");
      where.className = "__digest-location";
      where.style.cssText = "color:#ffd180;font-weight:bold;";
      where.textContent = p.path + (p.line ? ":" + p.line : "");
      var msg = document.createElement("div");
      msg.textContent = p.message;
      item.appendChild(where);
      item.appendChild(msg);
      if (p.hint) {
        var hint = document.createElement("div");
        hint.style.cssText = "color:#b0bec5;";
        hint.textContent = "hint: " + p.hint;
        item.appendChild(hint);
      }
      box.appendChild(item);
    });
    var note = document.createElement("p");
    note.textContent = "Fix the file and save: this page reloads by itself.";
    note.style.cssText = "color:#b0bec5;margin:0;";
    box.appendChild(note);
    (document.body || document.documentElement).appendChild(box);
  }
  var source = null;
  function connect() {
    if (source || !window.EventSource) return;
    source = new EventSource(__DIGEST_EVENTS__ + state.epoch);
    source.addEventListener("reload", function () { disconnect(); location.reload(); });
    source.addEventListener("problems", function (e) { show(JSON.parse(e.data).problems); });
  }
  function disconnect() {
    if (source) source.close();
    source = null;
  }
  // Browsers allow about six HTTP/1.1 connections per host: hidden tabs let go of their stream and
  // reconnect when shown again (reloading at once if the site changed meanwhile), so a dozen open
  // tabs never starve page loads.
  function onVisibility() {
    if (document.visibilityState === "hidden") disconnect();
    else connect();
  }
  function start() {
    show(state.problems);
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("pagehide", disconnect);
    window.addEventListener("pageshow", function (e) { if (e.persisted) connect(); });
    onVisibility();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
