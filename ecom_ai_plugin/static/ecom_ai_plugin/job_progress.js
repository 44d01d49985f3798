// Follows a generation job: polls its JSON status and links the drafts when they exist.
(function () {
  "use strict";
  var box = document.getElementById("ecom-ai-job");
  if (!box) { return; }
  var url = box.dataset.statusUrl;

  function show(id, text) {
    var el = document.getElementById(id);
    el.textContent = text;
    el.hidden = !text;
  }

  function render(job) {
    document.getElementById("ecom-ai-job-status").textContent = job.status_display;
    var bar = document.getElementById("ecom-ai-job-bar");
    if (job.progress_total) {
      bar.max = job.progress_total;
      bar.value = job.progress_done;
      var products = job.products_total > 1 ? ", " + job.products_done + " of " + job.products_total + " products done" : "";
      show("ecom-ai-job-progress", "— " + job.progress_done + " of " + job.progress_total + " candidate texts written" + products);
    } else if (job.finished) {
      bar.max = 1;
      bar.value = 1;
    }
    show("ecom-ai-job-error", job.error);
    var notes = [];
    if (job.skipped) { notes.push("Skipped: " + job.skipped + "."); }
    if (job.missing && job.missing.length) { notes.push("Products not found: " + job.missing.join(", ") + "."); }
    show("ecom-ai-job-note", notes.join(" "));
    var list = document.getElementById("ecom-ai-job-drafts");
    list.textContent = "";
    job.drafts.forEach(function (draft) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = draft.url;
      link.className = "ecom-ai-draft-link";
      link.textContent = draft.label;
      item.appendChild(link);
      var detail = draft.unsupported ? draft.unsupported + " mark(s) from the check: held back until edited or overridden" : (draft.problem || "passes the check");
      if (detail) { item.appendChild(document.createTextNode(" — " + detail)); }
      list.appendChild(item);
    });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        render(job);
        if (!job.finished) { window.setTimeout(poll, 1000); }
        else { box.classList.add("ecom-ai-job-finished"); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  poll();
})();
