/* "Customers say" points filter the review list in place (no dependencies).
 *
 * A point links to ?aspect=…&sentiment=…#reviews, which works without
 * JavaScript; with it, the list is fetched from the REST API and redrawn,
 * the sentences behind the point marked. Review text is inserted as text,
 * never as HTML.
 */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function stars(rating) {
    return "★★★★★".slice(0, rating) + "☆☆☆☆☆".slice(0, 5 - rating);
  }

  function renderText(review) {
    var paragraph = el("p", "ecom-ai-review-text");
    var text = review.text;
    var position = 0;
    (review.sentences || []).slice().sort(function (a, b) { return a.start - b.start; }).forEach(function (sentence) {
      if (sentence.start < position || sentence.end > text.length) return;
      if (sentence.start > position) paragraph.appendChild(document.createTextNode(text.slice(position, sentence.start)));
      var piece = text.slice(sentence.start, sentence.end);
      if (sentence.matched) {
        var mark = el("mark", null, piece);
        mark.setAttribute("data-sentence", sentence.id);
        paragraph.appendChild(mark);
      } else {
        paragraph.appendChild(document.createTextNode(piece));
      }
      position = sentence.end;
    });
    if (position < text.length) paragraph.appendChild(document.createTextNode(text.slice(position)));
    return paragraph;
  }

  function renderReview(review) {
    var item = el("li", "ecom-ai-review");
    item.setAttribute("data-review", review.id);
    var head = el("p", "ecom-ai-review-head");
    var rating = el("span", "ecom-ai-stars", stars(review.rating));
    rating.title = review.rating + " out of 5";
    head.appendChild(rating);
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("strong", "ecom-ai-review-title", review.title));
    item.appendChild(head);
    item.appendChild(renderText(review));
    var meta = el("p", "ecom-ai-review-meta");
    if (review.verified_purchase) {
      meta.appendChild(el("span", "ecom-ai-verified", "Verified purchase"));
      meta.appendChild(document.createTextNode(" · "));
    }
    // the server's own date format, so a redrawn list reads like the page around it
    var time = el("time", null, review.created_on);
    time.setAttribute("datetime", review.created_at);
    meta.appendChild(time);
    item.appendChild(meta);
    return item;
  }

  function load(section, aspect, sentiment, href) {
    var url = section.getAttribute("data-api") + "?page_size=50";
    if (aspect) url += "&aspect=" + encodeURIComponent(aspect);
    if (sentiment) url += "&sentiment=" + encodeURIComponent(sentiment);
    section.setAttribute("aria-busy", "true");
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        var list = section.querySelector(".ecom-ai-review-list");
        list.textContent = "";
        data.results.forEach(function (review) { list.appendChild(renderReview(review)); });
        if (!data.results.length) list.appendChild(el("li", "ecom-ai-empty muted", "No review says that."));
        var pages = section.querySelector(".ecom-ai-review-pages");
        if (pages) pages.hidden = Boolean(aspect || sentiment);
        var filter = section.querySelector(".ecom-ai-filter");
        filter.hidden = !(aspect || sentiment);
        filter.querySelector(".ecom-ai-filter-label").textContent = aspect + (sentiment ? " (" + sentiment + ")" : "");
        document.querySelectorAll(".ecom-ai-point").forEach(function (point) {
          point.classList.toggle("active", point.getAttribute("data-aspect") === aspect && point.getAttribute("data-sentiment") === sentiment);
        });
        section.setAttribute("data-aspect", aspect || "");
        section.setAttribute("data-sentiment", sentiment || "");
        if (href && window.history && window.history.pushState) window.history.pushState({ aspect: aspect, sentiment: sentiment }, "", href);
        section.scrollIntoView({ behavior: "smooth", block: "start" });
      })
      .catch(function () {
        if (href) window.location.href = href; // the plain link still works
      })
      .finally(function () { section.removeAttribute("aria-busy"); });
  }

  function init() {
    var section = document.querySelector(".ecom-ai-reviews[data-api]");
    if (!section || !window.fetch) return;
    document.addEventListener("click", function (event) {
      var point = event.target.closest ? event.target.closest(".ecom-ai-point, .ecom-ai-clear") : null;
      if (!point) return;
      event.preventDefault();
      if (point.classList.contains("ecom-ai-clear")) {
        load(section, "", "", point.getAttribute("href"));
      } else {
        load(section, point.getAttribute("data-aspect"), point.getAttribute("data-sentiment"), point.getAttribute("href"));
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
