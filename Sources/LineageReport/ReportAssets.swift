extension ReportWriter {
    /// The report's one style sheet (inline, with the page's nonce).
    static let style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0 auto;max-width:1280px;\
        padding:0 24px 48px;color:#1d2330;background:#fff}
        .banner{background:#fff4e5;border:1px solid #f0a020;border-radius:6px;padding:10px 14px;font-weight:600}
        h1{font-size:24px;margin:24px 0 4px}h2{font-size:19px;margin:32px 0 12px;border-bottom:1px solid #e3e6eb;\
        padding-bottom:4px}h3{font-size:15px;margin:12px 0 6px}
        .muted{color:#68707d}.cards{display:flex;flex-wrap:wrap;gap:12px}
        .card{border:1px solid #e3e6eb;border-radius:8px;padding:10px 16px;min-width:110px}
        .card .value{display:block;font-size:24px;font-weight:600}.card .label{color:#68707d}
        .card-error .value{color:#c0262d}.card-warning .value{color:#c46a00}.card-info .value{color:#1f6fb4}
        .columns{display:flex;flex-wrap:wrap;gap:32px}table{border-collapse:collapse}
        table.compact td{padding:2px 12px 2px 0}.number{text-align:right;font-variant-numeric:tabular-nums}
        .picture{overflow:auto;border:1px solid #e3e6eb;border-radius:8px;padding:8px;max-height:640px}
        .picture svg{max-width:none;height:auto}
        .filters{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:8px}
        #findings-table,#plan-table{width:100%}#findings-table th,#plan-table th{text-align:left;cursor:pointer;\
        border-bottom:2px solid #d5d9e0;padding:6px 8px;user-select:none}
        #findings-table td,#plan-table td{border-bottom:1px solid #eef0f3;padding:5px 8px;vertical-align:top;\
        word-break:break-word}
        #findings-table td:nth-child(-n+3){white-space:nowrap}#findings-table td:nth-child(4),#plan-table td:first-child\
        {font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
        #findings-table tbody tr{cursor:pointer}#findings-table tbody tr:hover{background:#f5f7fa}
        tr.severity-error td:nth-child(2){color:#c0262d;font-weight:600}
        tr.severity-warning td:nth-child(2){color:#c46a00;font-weight:600}
        th.sorted-asc::after{content:" ▲"}th.sorted-desc::after{content:" ▼"}
        .pager{display:flex;gap:12px;align-items:center;margin:8px 0}
        #details{border:1px solid #d5d9e0;border-radius:8px;padding:12px 16px;margin-top:12px;background:#fafbfc}
        pre{white-space:pre-wrap;word-break:break-word;font-size:12px;background:#fff;border:1px solid #eef0f3;\
        padding:8px;border-radius:6px;max-height:420px;overflow:auto}
        g.highlight ellipse,g.highlight polygon{stroke:#0a58ca;stroke-width:5}
        details.tree{margin:8px 0}details.tree summary{cursor:pointer;font-weight:600}
        code{font-size:12px}
        """

    /// The report's one script (inline, with the page's nonce): reads the JSON data block and
    /// builds the findings table with DOM calls and `textContent` only, so no data is ever parsed
    /// as HTML. Filters live in the URL fragment (`#rule=cycle&severity=error&q=text`), so a
    /// filtered view can be linked; `#doc=ID` opens a document's details and outlines it in its tree.
    static let script = """
        (function () {
          "use strict";
          // Elements are found by tag and id: a document id in an inline SVG may equal a page id.
          var $ = function (selector) { return document.querySelector(selector); };
          var data = JSON.parse($("script#report-data").textContent);
          var rows = data.findings;
          var pageSize = 100, page = 0, sortKey = null, sortDir = 1;
          var filters = { rule: $("select#filter-rule"), severity: $("select#filter-severity"), collection: $("select#filter-collection") };
          var text = $("input#filter-text");
          function fill(select, key) {
            var seen = {};
            rows.forEach(function (row) { if (row[key] !== null) { seen[row[key]] = (seen[row[key]] || 0) + 1; } });
            Object.keys(seen).sort().forEach(function (value) {
              var option = document.createElement("option");
              option.value = value;
              option.textContent = value + " (" + seen[value] + ")";
              select.appendChild(option);
            });
          }
          fill(filters.rule, "rule"); fill(filters.severity, "severity"); fill(filters.collection, "collection");
          function readHash() {
            var parts = location.hash.replace(/^#/, "").split("&");
            parts.forEach(function (part) {
              var pair = part.split("=");
              if (pair.length !== 2) { return; }
              var value = decodeURIComponent(pair[1].replace(/\\+/g, " "));
              if (pair[0] === "q") { text.value = value; }
              else if (pair[0] === "doc") { return; }
              else if (filters[pair[0]]) { filters[pair[0]].value = value; }
            });
          }
          function writeHash() {
            var parts = [];
            Object.keys(filters).forEach(function (key) {
              if (filters[key].value) { parts.push(key + "=" + encodeURIComponent(filters[key].value)); }
            });
            if (text.value) { parts.push("q=" + encodeURIComponent(text.value)); }
            history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname);
          }
          function matching() {
            var needle = text.value.toLowerCase();
            var result = rows.filter(function (row) {
              for (var key in filters) { if (filters[key].value && row[key] !== filters[key].value) { return false; } }
              if (!needle) { return true; }
              return [row.rule, row.collection, row.document, row.message].some(function (value) {
                return value !== null && String(value).toLowerCase().indexOf(needle) >= 0;
              });
            });
            if (sortKey) {
              result.sort(function (a, b) {
                var x = a[sortKey] || "", y = b[sortKey] || "";
                return x < y ? -sortDir : x > y ? sortDir : 0;
              });
            }
            return result;
          }
          function cell(tr, value) {
            var td = document.createElement("td");
            td.textContent = value === null ? "—" : value;
            tr.appendChild(td);
          }
          function render() {
            var list = matching();
            var pages = Math.max(1, Math.ceil(list.length / pageSize));
            page = Math.min(page, pages - 1);
            var body = document.querySelector("#findings-table tbody");
            while (body.firstChild) { body.removeChild(body.firstChild); }
            list.slice(page * pageSize, (page + 1) * pageSize).forEach(function (row) {
              var tr = document.createElement("tr");
              tr.className = "finding-row severity-" + row.severity;
              tr.setAttribute("data-rule", row.rule);
              [row.rule, row.severity, row.collection, row.document, row.message].forEach(function (v) { cell(tr, v); });
              tr.addEventListener("click", function () { show(row); });
              body.appendChild(tr);
            });
            var status = $("span#table-status");
            status.setAttribute("data-matching", String(list.length));
            status.textContent = list.length === 0 ? "no findings match" :
              (page * pageSize + 1) + "–" + Math.min(list.length, (page + 1) * pageSize) + " of " + list.length +
              " (page " + (page + 1) + " of " + pages + ")";
            $("button#page-prev").disabled = page === 0;
            $("button#page-next").disabled = page >= pages - 1;
          }
          function show(row) {
            var panel = $("div#details"), body = $("div#details-body");
            $("h3#details-title").textContent = (row.document || row.collection || "") + " — " + row.rule;
            while (body.firstChild) { body.removeChild(body.firstChild); }
            function add(tag, content) { var e = document.createElement(tag); e.textContent = content; body.appendChild(e); return e; }
            add("p", row.message);
            add("h4", "Evidence");
            add("pre", JSON.stringify(row.evidence, null, 2));
            var doc = row.document ? data.documents[row.document] : null;
            var changes = row.document ? data.planned[row.document] : null;
            if (changes) {
              add("h4", "Planned changes");
              changes.forEach(function (c) {
                add("p", c.field + ": " + (c.from === null ? "(absent)" : c.from) + " → " + (c.to === null ? "(removed)" : c.to));
              });
            }
            if (doc && doc.root !== null && data.trees[doc.root] !== undefined) {
              var link = add("a", "Show it in its tree (" + doc.root + ")");
              link.href = "#doc=" + encodeURIComponent(row.document);
              link.addEventListener("click", function (event) { event.preventDefault(); locate(row.document); });
            }
            if (doc && doc.json) { add("h4", "Document"); add("pre", doc.json); }
            panel.hidden = false;
          }
          // Opens the tree holding `id`, outlines its node and scrolls to it.
          // The SVG id of a document id, as DOTWriter.nodeName makes it: letters, digits, _ . - as
          // they are, every other UTF-8 byte as %XX.
          function nodeName(id) {
            var out = "";
            new TextEncoder().encode(id).forEach(function (b) {
              var c = String.fromCharCode(b);
              out += /^[A-Za-z0-9_.-]$/.test(c) ? c : "%" + (b < 16 ? "0" : "") + b.toString(16).toUpperCase();
            });
            return out;
          }
          function locate(id) {
            var doc = data.documents[id];
            if (!doc || doc.root === null || data.trees[doc.root] === undefined) { return false; }
            var tree = $("details#tree-" + data.trees[doc.root]);
            tree.open = true;
            var node = null;
            var name = nodeName(id);
            tree.querySelectorAll("g.node").forEach(function (g) { if (g.id === name) { node = g; } });
            document.querySelectorAll("g.highlight").forEach(function (g) { g.classList.remove("highlight"); });
            if (node) { node.classList.add("highlight"); node.scrollIntoView({ block: "center", inline: "center" }); }
            else { tree.scrollIntoView(); }
            return true;
          }
          // `#doc=ID` opens that document's details and shows it in its tree.
          function openFromHash() {
            var match = /(?:^#|&)doc=([^&]*)/.exec(location.hash);
            if (!match) { return; }
            var id = decodeURIComponent(match[1]);
            var row = rows.filter(function (r) { return r.document === id; })[0];
            if (row) { show(row); locate(id); }
          }
          Object.keys(filters).forEach(function (key) {
            filters[key].addEventListener("change", function () { page = 0; writeHash(); render(); });
          });
          text.addEventListener("input", function () { page = 0; writeHash(); render(); });
          $("button#page-prev").addEventListener("click", function () { page = Math.max(0, page - 1); render(); });
          $("button#page-next").addEventListener("click", function () { page += 1; render(); });
          document.querySelectorAll("#findings-table th").forEach(function (th) {
            th.addEventListener("click", function () {
              var key = th.getAttribute("data-key");
              sortDir = sortKey === key ? -sortDir : 1;
              sortKey = key;
              document.querySelectorAll("#findings-table th").forEach(function (h) { h.className = ""; });
              th.className = sortDir > 0 ? "sorted-asc" : "sorted-desc";
              render();
            });
          });
          window.addEventListener("hashchange", function () { readHash(); page = 0; render(); openFromHash(); });
          readHash();
          render();
          openFromHash();
          document.body.setAttribute("data-report-ready", "true");
        })();
        """
}
