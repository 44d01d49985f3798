/* ecom_ai_plugin search widget: instant suggestions as you type, results with removable filter chips.
 *
 * No dependencies. Markup (what {% search_box %} renders):
 *   <form data-ecom-ai-search data-api="/ai/api/search/" data-events="/ai/api/recommendations/events/"
 *         [data-results="#css-selector"] [data-visitor="..."]>
 *     <input name="q" autocomplete="off"> <div data-ecom-ai-suggestions></div>
 *   </form>
 * Typing asks search/suggest/ (debounced) and shows products, categories and
 * corrected or popular queries in a listbox (arrow keys, Enter, Escape).
 * With data-results the form renders results into that element through the
 * REST API instead of loading a page; each filter chip searches again
 * without its filter. Searches and followed results are reported as
 * "search" and "search_click" events.
 */
(function () {
  "use strict";
  var DEBOUNCE_MS = 120;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }

  // The same visitor id as recommendations.js keeps (localStorage "ecomAiVisitor"):
  // it stands for a shopper without a session, whichever widget reports.
  function storedVisitor() {
    try {
      var id = window.localStorage.getItem("ecomAiVisitor");
      if (!id) {
        var bytes = new Uint8Array(16);
        window.crypto.getRandomValues(bytes);
        id = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
        window.localStorage.setItem("ecomAiVisitor", id);
      }
      return id;
    } catch (error) {
      return null; // storage blocked: the shopper stays unknown
    }
  }

  function send(eventsUrl, body, visitor) {
    if (!eventsUrl) return;
    visitor = visitor || storedVisitor();
    if (visitor) body.visitor = visitor;
    var data = JSON.stringify(body);
    if (navigator.sendBeacon && navigator.sendBeacon(eventsUrl, new Blob([data], { type: "text/plain" }))) return;
    fetch(eventsUrl, { method: "POST", credentials: "same-origin", keepalive: true, headers: { "Content-Type": "text/plain" }, body: data });
  }

  function Widget(form) {
    this.form = form;
    this.input = form.querySelector("input[name=q]");
    this.box = form.querySelector("[data-ecom-ai-suggestions]") || form.appendChild(el("div", { "data-ecom-ai-suggestions": "" }));
    this.api = form.getAttribute("data-api");
    this.events = form.getAttribute("data-events");
    this.visitor = form.getAttribute("data-visitor") || "";
    var target = form.getAttribute("data-results");
    this.results = target ? document.querySelector(target) : null;
    this.timer = null;
    this.active = -1;
    this.seq = 0;
    this.box.className = "ecom-ai-search__suggestions";
    this.box.setAttribute("role", "listbox");
    this.box.id = this.box.id || "ecom-ai-suggestions-" + Math.random().toString(36).slice(2);
    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-controls", this.box.id);
    this.input.setAttribute("aria-expanded", "false");
    this.bind();
  }

  Widget.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("input", function () {
      clearTimeout(self.timer);
      self.timer = setTimeout(function () { self.suggest(); }, DEBOUNCE_MS);
    });
    this.input.addEventListener("keydown", function (event) { self.key(event); });
    this.input.addEventListener("blur", function () { setTimeout(function () { self.close(); }, 150); });
    this.form.addEventListener("submit", function (event) {
      if (self.active >= 0) {
        event.preventDefault();
        self.options()[self.active].click();
        return;
      }
      if (self.results) {
        event.preventDefault();
        self.search(self.input.value, []);
      }
    });
  };

  Widget.prototype.options = function () { return Array.prototype.slice.call(this.box.querySelectorAll("[role=option]")); };

  Widget.prototype.key = function (event) {
    var options = this.options();
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!options.length) return;
      event.preventDefault();
      this.active = (this.active + (event.key === "ArrowDown" ? 1 : -1) + options.length) % options.length;
      options.forEach(function (option, i) { option.setAttribute("aria-selected", String(i === this.active)); }, this);
      this.input.setAttribute("aria-activedescendant", options[this.active].id);
    } else if (event.key === "Escape") {
      this.close();
    }
  };

  Widget.prototype.close = function () {
    this.box.innerHTML = "";
    this.box.hidden = true;
    this.active = -1;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  };

  Widget.prototype.suggest = function () {
    var self = this, q = this.input.value.trim(), seq = ++this.seq;
    if (!q) { this.close(); return; }
    getJSON(this.api + "suggest/?q=" + encodeURIComponent(q)).then(function (data) {
      if (seq === self.seq) self.showSuggestions(data);
    }).catch(function () { self.close(); });
  };

  Widget.prototype.option = function (kind, label, onPick, extra) {
    var self = this;
    var option = el("div", { role: "option", "aria-selected": "false", id: this.box.id + "-" + this.box.childNodes.length, "data-kind": kind, class: "ecom-ai-search__option ecom-ai-search__option--" + kind });
    option.appendChild(el("span", { class: "ecom-ai-search__label" }, label));
    if (extra) option.appendChild(el("span", { class: "ecom-ai-search__extra" }, extra));
    option.addEventListener("mousedown", function (event) { event.preventDefault(); });
    option.addEventListener("click", function () { self.close(); onPick(); });
    this.box.appendChild(option);
  };

  Widget.prototype.showSuggestions = function (data) {
    var self = this;
    this.box.innerHTML = "";
    this.active = -1;
    (data.queries || []).forEach(function (query) {
      self.option("query", query, function () { self.input.value = query; self.submit(query); }, "Search");
    });
    (data.categories || []).forEach(function (category) {
      self.option("category", category, function () { self.submit("", category); }, "Category");
    });
    (data.products || []).forEach(function (product, i) {
      self.option("product", product.name, function () {
        send(self.events, { type: "search_click", query: data.query, product: product.product, position: i + 1 }, self.visitor);
        if (product.url) window.location.href = product.url;
      }, product.price ? product.price + " " + (product.currency || "") : "");
    });
    var open = this.box.childNodes.length > 0;
    this.box.hidden = !open;
    this.input.setAttribute("aria-expanded", String(open));
  };

  Widget.prototype.submit = function (query, category) {
    if (this.results) {
      this.search(query, [], category);
      return;
    }
    var url = this.form.getAttribute("action") || window.location.pathname;
    var params = new URLSearchParams();
    params.set("q", query);
    if (category) params.set("category", category);
    window.location.href = url + "?" + params.toString();
  };

  Widget.prototype.search = function (query, skip, category) {
    var self = this, params = new URLSearchParams();
    params.set("q", query.trim());
    if (skip.length) params.set("skip", skip.join(","));
    if (category) params.set("category", category);
    this.results.setAttribute("data-state", "loading");
    getJSON(this.api + "?" + params.toString()).then(function (data) {
      self.render(data, skip, category);
      if (!skip.length && data.query) {
        send(self.events, { type: "search", query: data.query, products: data.results.map(function (r) { return r.product; }) }, self.visitor);
      }
    }).catch(function () { self.results.setAttribute("data-state", "error"); });
  };

  Widget.prototype.render = function (data, skip, category) {
    var self = this, root = this.results;
    root.innerHTML = "";
    if (data.corrected) root.appendChild(el("p", { class: "ecom-ai-search__corrected" }, "Showing results for “" + data.corrected + "”"));
    if (data.filters.length) {
      var chips = el("ul", { class: "ecom-ai-search__filters" });
      data.filters.forEach(function (filter) {
        var item = el("li", {});
        var chip = el("button", { type: "button", class: "ecom-ai-search__chip", "data-code": filter.code, "aria-label": "Remove filter " + filter.label }, filter.label + " ×");
        chip.addEventListener("click", function () { self.search(data.query, skip.concat([filter.code]), category); });
        item.appendChild(chip);
        chips.appendChild(item);
      });
      root.appendChild(chips);
    }
    root.appendChild(el("p", { class: "ecom-ai-search__total" }, data.total + (data.total === 1 ? " result" : " results")));
    var list = el("ol", { class: "ecom-ai-search__results" });
    data.results.forEach(function (hit) {
      var item = el("li", { "data-product": hit.product, "data-position": String(hit.position), class: hit.available ? "" : "ecom-ai-search__result--out" });
      var link = el("a", { href: hit.url || "#" }, hit.name);
      link.addEventListener("click", function () { send(self.events, { type: "search_click", query: data.query, product: hit.product, position: hit.position }, self.visitor); });
      item.appendChild(link);
      if (hit.price) item.appendChild(el("span", { class: "ecom-ai-search__price" }, " " + hit.price + " " + (hit.currency || "")));
      if (!hit.available) item.appendChild(el("span", { class: "ecom-ai-search__stock" }, " out of stock"));
      list.appendChild(item);
    });
    root.appendChild(list);
    root.setAttribute("data-state", "ready");
  };

  /* Server-rendered results (<div data-ecom-ai-search-results data-query=".." data-events="..">, links with data-product):
   * a followed result is reported as a search_click. */
  function trackRendered(root) {
    if (root.ecomAiTracked) return;
    root.ecomAiTracked = true;
    root.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-product]");
      if (!link) return;
      send(root.getAttribute("data-events"), {
        type: "search_click", query: root.getAttribute("data-query"), product: link.getAttribute("data-product"),
        position: parseInt(link.getAttribute("data-position"), 10) || undefined
      }, root.getAttribute("data-visitor"));
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-ecom-ai-search]"), function (form) {
      if (!form.ecomAiSearch) form.ecomAiSearch = new Widget(form);
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-ecom-ai-search-results]"), trackRendered);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
  window.ecomAiSearch = { start: start };
})();
