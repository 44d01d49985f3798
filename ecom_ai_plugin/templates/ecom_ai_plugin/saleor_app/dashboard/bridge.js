/* The Saleor app bridge, dependency-free: the dashboard's token over postMessage, theme events, and
   requests to the app with that token in the authorization-bearer and saleor-api-url headers.
   Messages are taken only from the parent frame and from the dashboard's origin (the embedding page's,
   pinned at the first handshake); cookies are never sent (credentials: "omit"). Inside the dashboard its own
   notifications say what an action did (the page's toast shows only outside it), a widget tells it its height
   (widgetResize), an action that wrote to Saleor asks it to read the product again (refreshEntity), and the fragments
   are asked for with framedAs=<the manifest's target> (a popup leaves out the heading the dashboard's dialog already shows). */
(function () {
  "use strict";
  var root = document.getElementById("ecom-ai-root");
  var params = new URLSearchParams(window.location.search);
  var referrerOrigin = null;
  try { referrerOrigin = document.referrer ? new URL(document.referrer).origin : null; } catch (e) { referrerOrigin = null; }
  var state = { token: null, origin: null, saleorApiUrl: params.get("saleorApiUrl") || "", form: null, poll: null, loading: false };
  window.ecomAiBridge = state;  // read by tests and by staff in the console; holds no secret beyond the short-lived token

  function applyTheme(theme) {
    if (theme === "dark" || theme === "light") { document.documentElement.setAttribute("data-theme", theme); }
  }
  applyTheme(params.get("theme"));

  function issuer(token) {
    try {
      var part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(atob(part + "===".slice((part.length + 3) % 4))).iss || "";
    } catch (e) { return ""; }
  }

  function actionId() { return Date.now().toString(36) + Math.random().toString(36).slice(2); }

  function send(type, payload) {
    if (window.parent === window) { return; }
    var target = state.origin || referrerOrigin;
    if (!target) { return; }  // never post to an origin we do not know
    var body = { actionId: actionId() };
    Object.keys(payload || {}).forEach(function (key) { body[key] = payload[key]; });
    window.parent.postMessage({ type: type, payload: body }, target);
  }

  function trusted(event) {
    if (event.source !== window.parent || window.parent === window) { return false; }
    if (state.origin) { return event.origin === state.origin; }
    return !referrerOrigin || event.origin === referrerOrigin;
  }

  function toast(text, isError) {
    var box = document.getElementById("ecom-ai-toast");
    box.textContent = text;
    box.className = isError ? "error" : "";
    box.hidden = Boolean(state.origin);  // the dashboard shows the notification sent below; two would overlap
    clearTimeout(box._timer);
    box._timer = setTimeout(function () { box.hidden = true; }, 6000);
    send("notification", { status: isError ? "error" : "success", title: isError ? "E-commerce AI: refused" : "E-commerce AI", text: text });
  }

  function headers(extra) {
    var all = { "authorization-bearer": state.token, "saleor-api-url": state.saleorApiUrl };
    Object.keys(extra || {}).forEach(function (key) { all[key] = extra[key]; });
    return all;
  }

  function request(url, options) {
    options = options || {};
    return fetch(url, { method: options.method || "GET", headers: headers(options.headers), body: options.body, credentials: "omit", cache: "no-store" });
  }

  function busy() {
    var active = document.activeElement;
    return active && root.contains(active) && (active.tagName === "TEXTAREA" || (active.tagName === "INPUT" && active.type !== "checkbox"));
  }

  function load() {
    if (!state.token) { return; }
    clearTimeout(state.poll);
    state.loading = true;
    var query = new URLSearchParams(params);
    ["theme", "saleorApiUrl", "locale"].forEach(function (key) { query.delete(key); });
    if (state.origin && root.dataset.target) { query.set("framedAs", root.dataset.target); }  // framed by the dashboard, as the manifest asks
    request(root.dataset.fragment + "?" + query.toString()).then(function (response) {
      if (!response.ok) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          root.innerHTML = "";
          var note = document.createElement("p");
          note.className = "notice error";
          note.id = "ecom-ai-refused";
          note.textContent = (data && data.error) || ("The app answered " + response.status + ".");
          root.appendChild(note);
        });
      }
      return response.text().then(function (html) { root.innerHTML = html; bind(); reportHeight(); });
    }).catch(function () {
      toast("The app could not be reached.", true);
    }).then(function () {
      state.loading = false;
      root.setAttribute("data-loaded", String(Date.now()));
      var poller = root.querySelector("[data-poll]");
      if (poller) { state.poll = setTimeout(function again() { if (busy()) { state.poll = setTimeout(again, 1000); } else { load(); } }, Number(poller.getAttribute("data-poll")) || 2000); }
    });
  }

  function submit(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    var action = (submitter && submitter.getAttribute("data-action")) || form.getAttribute("data-action");
    if (submitter && submitter.hasAttribute("data-confirm") && !window.confirm(submitter.getAttribute("data-confirm"))) { return; }
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (button) { button.disabled = true; });
    request(root.dataset.actions + action + "/", { method: "POST", body: new URLSearchParams(data) }).then(function (response) {
      return response.json().catch(function () { return { error: "The app answered " + response.status + "." }; }).then(function (body) {
        if (!response.ok || body.error) { toast(body.error || ("The app answered " + response.status + "."), true); }
        else { toast(body.message || "Done."); }
        if (response.ok && body.saleor_written) { send("refreshEntity", {}); }  // the product page's form would keep the old text
        if (body.job && form.hasAttribute("data-follow-job")) { params.delete("draft"); }
        load();
      });
    }).catch(function () { toast("The app could not be reached.", true); load(); });
  }

  function bind() {
    Array.prototype.forEach.call(root.querySelectorAll("form[data-action]"), function (form) {
      form.addEventListener("submit", function (event) { event.preventDefault(); submit(form, event.submitter); });
    });
    Array.prototype.forEach.call(root.querySelectorAll("a[data-params]"), function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        new URLSearchParams(link.getAttribute("data-params")).forEach(function (value, key) { if (value) { params.set(key, value); } else { params.delete(key); } });
        if (link.hasAttribute("data-reset")) { link.getAttribute("data-reset").split(",").forEach(function (key) { params.delete(key); }); }
        window.history.replaceState(null, "", "?" + params.toString());
        load();
      });
    });
    Array.prototype.forEach.call(root.querySelectorAll("form[data-params-form]"), function (form) {
      form.addEventListener("submit", function (event) {  // filters: the page's own query, read again with the token
        event.preventDefault();
        new FormData(form).forEach(function (value, key) { if (value) { params.set(key, value); } else { params.delete(key); } });
        window.history.replaceState(null, "", "?" + params.toString());
        load();
      });
    });
    Array.prototype.forEach.call(root.querySelectorAll("a[data-download]"), function (link) {
      link.addEventListener("click", function (event) {  // a file the app serves only with the token: fetched, then saved
        event.preventDefault();
        request(link.getAttribute("href")).then(function (response) {
          if (!response.ok) { return response.json().catch(function () { return {}; }).then(function (data) { toast((data && data.error) || ("The app answered " + response.status + "."), true); }); }
          return response.blob().then(function (blob) {
            var url = URL.createObjectURL(blob), save = document.createElement("a");
            save.href = url;
            save.download = link.getAttribute("data-download");
            document.body.appendChild(save);
            save.click();
            save.remove();
            setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
            state.downloaded = link.getAttribute("data-download");
          });
        }).catch(function () { toast("The app could not be reached.", true); });
      });
    });
    Array.prototype.forEach.call(root.querySelectorAll("a[data-redirect]"), function (link) {
      link.addEventListener("click", function (event) { event.preventDefault(); send("redirect", { to: link.getAttribute("data-redirect"), newContext: false }); });
    });
    Array.prototype.forEach.call(root.querySelectorAll("button[data-insert]"), function (button) {
      button.addEventListener("click", function () {
        send("formPayloadUpdate", { form: "product-edit", closePopup: false, fields: { productDescription: { value: button.getAttribute("data-insert") } } });
        toast("Put into the product form: save it there to keep it.");
      });
    });
  }

  var reportedHeight = 0;
  function reportHeight() {  // a widget's frame is as tall as the dashboard makes it (200 px until told)
    if (!root.hasAttribute("data-widget") || !state.origin) { return; }
    var body = window.getComputedStyle(document.body);
    var height = Math.ceil(root.getBoundingClientRect().bottom + window.scrollY + parseFloat(body.paddingBottom || 0) + parseFloat(body.marginBottom || 0));
    if (height > 0 && height !== reportedHeight) { reportedHeight = height; send("widgetResize", { height: height }); }
  }
  if (window.ResizeObserver) { new window.ResizeObserver(reportHeight).observe(root); }

  window.addEventListener("message", function (event) {
    if (!trusted(event)) { return; }
    var message = event.data;
    if (!message || typeof message !== "object" || typeof message.type !== "string") { return; }
    var payload = message.payload && typeof message.payload === "object" ? message.payload : {};
    if (message.type === "handshake" || message.type === "tokenRefresh") {
      if (typeof payload.token !== "string" || !payload.token) { return; }
      state.origin = event.origin;
      var first = !state.token;
      state.token = payload.token;
      if (!state.saleorApiUrl) { state.saleorApiUrl = issuer(payload.token); }  // older dashboards send ?domain= only
      if (first) { load(); }
    } else if (message.type === "theme") {
      applyTheme(payload.theme);
    } else if (message.type === "formPayload" && payload.form === "product-edit") {
      state.form = payload;
      document.documentElement.classList.add("ecom-ai-has-form");
    }
  });
  send("notifyReady", {});
})();
