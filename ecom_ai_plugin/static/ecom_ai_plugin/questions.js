/* ecom_ai_plugin questions widget for headless storefronts: a product's answered questions and a form to ask.
 *
 * No dependencies. Markup:
 *   <section data-ecom-ai-questions data-api="/ai/api/" data-product="<product key>" [data-token="<customer token>"]></section>
 * It lists the published answers (GET products/<key>/questions/, FAQ first,
 * "More" for the next page) and asks (POST the same URL with {"text", "email"}):
 * a shopper with a token (Saleor's customer access token, sent as
 * "Authorization: Bearer") is not asked for an e-mail address; a guest is.
 * The state of each question asked from this browser is kept (localStorage,
 * per product: only ids) and read again (GET .../questions/<id>/) until it is
 * answered, sent to staff or refused. Every text from the server is inserted
 * as text, never as HTML.
 */
(function () {
  "use strict";
  var POLL_MS = 4000;
  var POLLS = 15;
  var SOURCES = { attribute: "the product's details", description: "the description", review: "a customer review", answer: "an earlier answer" };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // style, not the hidden attribute: a shop's stylesheet giving buttons or labels a display would show them anyway
  function shown(node, visible) { node.style.display = visible ? "" : "none"; }

  function Widget(root) {
    this.root = root;
    this.api = (root.getAttribute("data-api") || "/ai/api/").replace(/\/?$/, "/");
    this.product = root.getAttribute("data-product") || "";
    this.base = this.api + "products/" + encodeURIComponent(this.product) + "/questions/";
    this.storeKey = "ecomAiQuestions:" + this.product;
    this.build();
    this.load(this.base);
    this.mine().forEach(this.follow.bind(this));
  }

  Widget.prototype.request = function (url, body) {
    var headers = { Accept: "application/json" };
    var token = this.root.getAttribute("data-token");  // read each time: the storefront may sign the shopper in meanwhile
    if (token) headers.Authorization = "Bearer " + token;
    if (body) headers["Content-Type"] = "application/json";
    return fetch(url, { method: body ? "POST" : "GET", headers: headers, credentials: "same-origin", body: body ? JSON.stringify(body) : undefined })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) { return { ok: response.ok, status: response.status, data: data }; });
      });
  };

  Widget.prototype.build = function () {
    var root = this.root;
    root.classList.add("ecom-ai-questions");
    root.appendChild(el("h2", null, "Questions and answers"));
    this.asked = root.appendChild(el("ul", { "class": "ecom-ai-questions-mine", "aria-live": "polite" }));
    this.list = root.appendChild(el("ul", { "class": "ecom-ai-questions-list" }));
    this.more = root.appendChild(el("button", { type: "button", "class": "ecom-ai-questions-more" }, "More questions"));
    shown(this.more, false);
    this.more.addEventListener("click", function () { this.load(this.more.getAttribute("data-next")); }.bind(this));
    var form = this.form = root.appendChild(el("form", { "class": "ecom-ai-questions-form", novalidate: "" }));
    var label = form.appendChild(el("label", null, "Ask about this product"));
    this.text = label.appendChild(el("textarea", { name: "text", rows: "3", maxlength: "1000", required: "" }));
    var emailLabel = this.emailLabel = form.appendChild(el("label", null, "Your e-mail address (for the answer)"));
    this.email = emailLabel.appendChild(el("input", { type: "email", name: "email", autocomplete: "email" }));
    this.status = form.appendChild(el("p", { "class": "ecom-ai-questions-status", role: "status" }));
    this.button = form.appendChild(el("button", { type: "submit" }, "Ask"));
    form.addEventListener("submit", this.ask.bind(this));
    this.signedIn();
  };

  Widget.prototype.signedIn = function () {
    shown(this.emailLabel, !this.root.getAttribute("data-token"));
  };

  Widget.prototype.load = function (url) {
    var self = this;
    this.request(url).then(function (reply) {
      if (!reply.ok) { self.say("The questions could not be loaded.", true); return; }
      var results = reply.data.results || [];
      if (!results.length && !self.list.children.length) self.list.appendChild(el("li", { "class": "ecom-ai-questions-empty" }, "No questions answered yet."));
      results.forEach(function (item) { self.list.appendChild(self.answerItem(item)); });
      if (reply.data.next) self.more.setAttribute("data-next", reply.data.next);
      shown(self.more, !!reply.data.next);
    }).catch(function () { self.say("The questions could not be loaded.", true); });
  };

  Widget.prototype.answerItem = function (item) {
    var li = el("li", { "class": "ecom-ai-question" + (item.faq ? " ecom-ai-faq" : ""), "data-question": item.question });
    li.appendChild(el("p", { "class": "ecom-ai-question-text" }, (item.faq ? "FAQ · " : "") + "Q: " + item.question_text));
    li.appendChild(el("p", { "class": "ecom-ai-answer-text" }, "A: " + item.answer));
    var from = item.answered_by === "staff" ? "Answered by the shop's staff" :
      "Answered from " + ((item.sources || []).map(function (s) { return SOURCES[s.kind] || s.kind; }).filter(function (v, i, all) { return all.indexOf(v) === i; }).join(", ") || "the shop's data");
    li.appendChild(el("p", { "class": "ecom-ai-answer-from" }, from));
    return li;
  };

  Widget.prototype.say = function (text, isError) {
    this.status.textContent = text;
    this.status.className = "ecom-ai-questions-status" + (isError ? " ecom-ai-error" : "");
  };

  Widget.prototype.mine = function () {
    try { return JSON.parse(window.localStorage.getItem(this.storeKey) || "[]").filter(function (id) { return typeof id === "string"; }).slice(-10); }
    catch (error) { return []; }
  };

  Widget.prototype.remember = function (id) {
    try { window.localStorage.setItem(this.storeKey, JSON.stringify(this.mine().concat([id]).slice(-10))); } catch (error) { /* storage blocked */ }
  };

  Widget.prototype.ask = function (event) {
    event.preventDefault();
    this.signedIn();
    var text = this.text.value.trim();
    if (!text) { this.say("Write your question.", true); return; }
    var body = { text: text };
    if (!this.root.getAttribute("data-token")) body.email = this.email.value.trim();
    var self = this;
    this.button.disabled = true;
    this.request(this.base, body).then(function (reply) {
      if (!reply.ok) {
        var data = reply.data || {};
        var problem = data.detail || Object.keys(data).map(function (field) { return [].concat(data[field]).join(" "); }).join(" ");
        self.say(problem || ("The shop answered " + reply.status + "."), true);
        return;
      }
      self.text.value = "";
      self.say("");
      self.remember(reply.data.id);
      self.show(reply.data);
      if (reply.data.status === "pending") self.follow(reply.data.id, 0);
    }).catch(function () { self.say("The shop could not be reached.", true); }).then(function () { self.button.disabled = false; });
  };

  Widget.prototype.show = function (state) {
    var item = this.asked.querySelector('[data-asked="' + state.id + '"]');
    if (!item) {
      item = el("li", { "data-asked": state.id });
      this.asked.insertBefore(item, this.asked.firstChild);
    }
    item.className = "ecom-ai-asked ecom-ai-asked-" + state.status;
    item.setAttribute("data-status", state.status);
    item.textContent = "";
    item.appendChild(el("p", { "class": "ecom-ai-question-text" }, "Your question: " + state.text));
    item.appendChild(el("p", { "class": "ecom-ai-answer-text" }, state.message));
  };

  Widget.prototype.follow = function (id, polls) {
    var self = this;
    polls = polls || 0;
    this.request(this.base + encodeURIComponent(id) + "/").then(function (reply) {
      if (!reply.ok) return;  // a question that is gone (the product or the shopper deleted) is not shown
      self.show(reply.data);
      if (reply.data.status === "pending" && polls < POLLS) setTimeout(function () { self.follow(id, polls + 1); }, POLL_MS);
    }).catch(function () { /* shown again on the next visit */ });
  };

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-ecom-ai-questions]"), function (root) {
      if (!root.ecomAiQuestions) root.ecomAiQuestions = new Widget(root);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
