// vanban serve: no inline scripts (the Content-Security-Policy forbids them); everything the page does is here.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }

  ready(function () {
    // 1. Tell the reader when the database changed since this page was drawn.
    var stamp = document.body.getAttribute("data-stamp");
    function poll() {
      fetch("/version", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (v) {
        if (v.stamp && v.stamp !== stamp) document.getElementById("changed").hidden = false;
      }).catch(function () {});
    }
    setInterval(poll, 5000);

    // 2. Flags beside the text: a click scrolls to the flagged sentence and marks it.
    function goTo(id) {
      var el = document.getElementById(id);
      if (!el) return;
      document.querySelectorAll("mark.current").forEach(function (m) { m.classList.remove("current"); });
      el.classList.add("current");
      el.scrollIntoView({block: "center"});
    }
    document.querySelectorAll(".flag-link").forEach(function (b) {
      b.addEventListener("click", function () { goTo(b.getAttribute("data-target")); });
    });
    if (location.hash.indexOf("#flag-") === 0) goTo(location.hash.slice(1));

    // 3. A click on a highlight shows its parsed values in the side panel (built with textContent: no HTML).
    var panel = document.getElementById("panel-body");
    document.querySelectorAll("#doc-text mark").forEach(function (m) {
      m.addEventListener("click", function (ev) {
        ev.stopPropagation();
        if (!panel) return;
        panel.textContent = "";
        var h = document.createElement("p");
        h.className = "panel-kind";
        h.textContent = m.getAttribute("data-kind") + " [" + m.getAttribute("data-char-start") + "–" +
          m.getAttribute("data-char-end") + "]" + (m.getAttribute("data-page") ? " · p. " + m.getAttribute("data-page") : "");
        panel.appendChild(h);
        var q = document.createElement("blockquote");
        q.textContent = m.textContent;
        panel.appendChild(q);
        var vals = {};
        try { vals = JSON.parse(m.getAttribute("data-values") || "{}"); } catch (e) {}
        var dl = document.createElement("dl");
        Object.keys(vals).forEach(function (k) {
          var dt = document.createElement("dt"); dt.textContent = k;
          var dd = document.createElement("dd"); dd.textContent = String(vals[k]);
          dl.appendChild(dt); dl.appendChild(dd);
        });
        if (!Object.keys(vals).length && m.title) { var p = document.createElement("p"); p.textContent = m.title; dl.appendChild(p); }
        panel.appendChild(dl);
        var ref = m.getAttribute("data-ref");
        if (ref) {
          var a = document.createElement("a");
          a.href = "/documents?cites=" + encodeURIComponent(ref);
          a.textContent = "→ " + ref;
          panel.appendChild(a);
        }
      });
    });

    // 4. Compare: a bar chart of the table (Chart.js, shipped in /static).
    var data = document.getElementById("chart-data");
    var canvas = document.getElementById("chart");
    if (data && canvas && window.Chart) {
      var c = JSON.parse(data.textContent);
      var colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
      new window.Chart(canvas, {
        type: "bar",
        data: {labels: c.labels, datasets: c.series.map(function (s, i) {
          return {label: s.label, data: s.data, backgroundColor: colours[i % colours.length]};
        })},
        options: {animation: false, responsive: true, locale: document.documentElement.lang === "en" ? "en" : "vi-VN"}
      });
    }
  });
})();
