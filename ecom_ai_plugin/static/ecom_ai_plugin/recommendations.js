/* Recommendation widgets of ecom_ai_plugin, for any storefront; no dependencies.
 *
 *   <div data-ecom-ai-recommendations data-widget="similar" data-product="12" data-api="/ai/api"></div>
 *   <script src="/static/ecom_ai_plugin/recommendations.js" defer></script>
 *
 * data-widget     for_you, buy_again, bought_together, similar or trending
 * data-product    the product a bought_together or similar widget is about
 * data-category   prefer this category (trending)
 * data-limit      how many items (default 8)
 * data-exclude    comma-separated product keys not to show (the cart's, say)
 * data-fallback   "1": fill a widget without a list of its own from the next one
 *                 (trending for someone new); by default such a widget stays empty
 *                 rather than repeat another
 * data-title      a heading instead of the API's
 * data-api        the plugin's API root (default "/ai/api"); on another origin, that
 *                 origin must be in ECOM_AI['STOREFRONT']['ALLOWED_ORIGINS']
 * data-url-template  a product link when the API has none, "{key}" replaced: "/products/{key}"
 *
 * The widget fetches its items, shows each with its price and the reason it is
 * recommended, and reports one impression when half of it is in view and a click
 * when an item is followed (navigator.sendBeacon, so a click that leaves the page
 * still counts). Widgets the server rendered (data-rendered) are only tracked.
 * Events carry a random visitor id, kept in localStorage, that stands for a
 * shopper without a session; a storefront on another origin than the API also
 * sends it with "for you".
 * Widgets on one page never repeat each other's items: they load one after the
 * other, each leaving out what the widgets before it show.
 * Call window.EcomAIRecommendations.scan() after adding widgets to the page.
 */
(function () {
  "use strict";
  if (window.EcomAIRecommendations) {
    window.EcomAIRecommendations.scan();
    return;
  }
  var VISITOR_STORAGE_KEY = "ecomAiVisitor";
  // products the page's widgets show, so that the next widget leaves them out
  var pageShown = {};
  var queue = Promise.resolve();
  var CLASS = "ecom-ai-recommendations";

  function apiRoot(el) {
    return (el.getAttribute("data-api") || "/ai/api").replace(/\/+$/, "");
  }

  function isCrossOrigin(url) {
    try {
      return new URL(url, window.location.href).origin !== window.location.origin;
    } catch (error) {
      return false;
    }
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function visitorId() {
    try {
      var id = window.localStorage.getItem(VISITOR_STORAGE_KEY);
      if (!id) {
        id = randomId();
        window.localStorage.setItem(VISITOR_STORAGE_KEY, id);
      }
      return id;
    } catch (error) {
      return null; // storage blocked: the shopper stays unknown
    }
  }

  function eventsUrl(el) {
    return el.getAttribute("data-events") || apiRoot(el) + "/recommendations/events/";
  }

  function send(el, payload) {
    var url = eventsUrl(el);
    // the shop's session says who the shopper is when there is one; without it
    // (a first visit: tracking creates no session) the visitor id does
    var visitor = visitorId();
    if (visitor) payload.visitor = visitor;
    var body = JSON.stringify(payload);
    // text/plain: a cross-origin beacon needs no preflight
    if (navigator.sendBeacon && navigator.sendBeacon(url, new Blob([body], { type: "text/plain" }))) return;
    if (window.fetch) {
      window.fetch(url, { method: "POST", body: body, keepalive: true, credentials: "same-origin",
        headers: { "Content-Type": "text/plain" } }).catch(function () {});
    }
  }

  function safeHref(href) {
    try {
      var protocol = new URL(href, window.location.href).protocol;
      return protocol === "http:" || protocol === "https:";
    } catch (error) {
      return false;
    }
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    node.className = CLASS + "__" + className;
    if (text) node.textContent = text;
    return node;
  }

  function shownItems(el) {
    return Array.prototype.map.call(el.querySelectorAll("[data-ecom-ai-item]"), function (item) {
      return {
        product: item.getAttribute("data-product"),
        strategy: item.getAttribute("data-strategy"),
        position: parseInt(item.getAttribute("data-position"), 10)
      };
    });
  }

  function track(el) {
    var widget = el.getAttribute("data-widget");
    function clicked(event) {
      var link = event.target.closest ? event.target.closest("a") : null;
      var item = link ? link.closest("[data-ecom-ai-item]") : null;
      if (!item || !el.contains(item)) return;
      send(el, { type: "click", widget: widget, product: item.getAttribute("data-product"),
        strategy: item.getAttribute("data-strategy"), position: parseInt(item.getAttribute("data-position"), 10) });
    }
    el.addEventListener("click", clicked);
    el.addEventListener("auxclick", clicked);

    function seen() {
      var items = shownItems(el);
      if (items.length) send(el, { type: "impression", widget: widget, items: items });
      el.setAttribute("data-seen", "");
    }
    if (!("IntersectionObserver" in window)) {
      seen();
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        var halfInView = entry.intersectionRatio >= 0.5 || entry.intersectionRect.height >= window.innerHeight / 2;
        if (entry.isIntersecting && halfInView) {
          observer.disconnect();
          seen();
        }
      });
    }, { threshold: [0, 0.5, 1] });
    observer.observe(el);
  }

  function render(el, data) {
    el.textContent = "";
    if (data.events) el.setAttribute("data-events", data.events);
    if (!data.results || !data.results.length) {
      el.setAttribute("data-state", "empty");
      return;
    }
    el.classList.add(CLASS, CLASS + "--" + data.widget);
    el.appendChild(element("h2", "title", el.getAttribute("data-title") || data.title));
    var list = element("ol", "items");
    var urlTemplate = el.getAttribute("data-url-template");
    data.results.forEach(function (result) {
      pageShown[result.product] = true;
      var item = element("li", "item");
      item.setAttribute("data-ecom-ai-item", "");
      item.setAttribute("data-product", result.product);
      item.setAttribute("data-strategy", result.strategy);
      item.setAttribute("data-position", String(result.position));
      var href = result.url || (urlTemplate ? urlTemplate.replace("{key}", encodeURIComponent(result.product)) : "");
      if (result.image && safeHref(result.image)) {
        var picture = element(href && safeHref(href) ? "a" : "span", "picture");
        if (picture.tagName === "A") { picture.href = href; picture.tabIndex = -1; }
        var image = document.createElement("img");
        image.src = result.image;
        image.alt = "";
        image.loading = "lazy";
        picture.appendChild(image);
        item.appendChild(picture);
      }
      var name = element(href && safeHref(href) ? "a" : "span", "name", result.name);
      if (name.tagName === "A") name.href = href;
      item.appendChild(name);
      if (result.price) item.appendChild(element("span", "price", result.price + (result.currency ? " " + result.currency : "")));
      item.appendChild(element("p", "why", result.explanation));
      list.appendChild(item);
    });
    el.appendChild(list);
    el.setAttribute("data-state", "ready");
    track(el);
  }

  function load(el) {
    var widget = el.getAttribute("data-widget") || "";
    var url = apiRoot(el) + "/recommendations/" + encodeURIComponent(widget) + "/";
    var params = [];
    ["product", "category", "limit", "fallback"].forEach(function (name) {
      var value = el.getAttribute("data-" + name);
      if (value) params.push(name + "=" + encodeURIComponent(value));
    });
    var exclude = (el.getAttribute("data-exclude") || "").split(",").filter(Boolean).concat(Object.keys(pageShown));
    if (exclude.length) params.push("exclude=" + encodeURIComponent(exclude.slice(0, 100).join(",")));
    if ((widget === "for_you" || widget === "buy_again") && isCrossOrigin(url)) {
      var visitor = visitorId();
      if (visitor) params.push("visitor=" + visitor);
    }
    if (params.length) url += "?" + params.join("&");
    el.setAttribute("data-state", "loading");
    return window.fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) { render(el, data); })
      .catch(function (error) {
        el.setAttribute("data-state", "error");
        el.setAttribute("data-error", String(error && error.message ? error.message : error));
      });
  }

  function scan(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("[data-ecom-ai-recommendations]"), function (el) {
      if (el.hasAttribute("data-ecom-ai-bound")) return;
      el.setAttribute("data-ecom-ai-bound", "");
      if (el.hasAttribute("data-rendered")) {
        shownItems(el).forEach(function (item) { pageShown[item.product] = true; });
        el.setAttribute("data-state", "ready");
        track(el);
      } else {
        queue = queue.then(function () { return load(el); });
      }
    });
  }

  window.EcomAIRecommendations = { scan: scan, load: load };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { scan(); });
  } else {
    scan();
  }
})();
