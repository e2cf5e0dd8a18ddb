// 长者模式: larger text and higher contrast, remembered across visits (localStorage only).
(function () {
  var KEY = "nianbao-elder";
  var root = document.documentElement;
  function stored() {
    try { return localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function apply(on) {
    root.classList.toggle("nb-elder", on);
    var button = document.getElementById("nb-elder-toggle");
    if (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "标准模式" : "长者模式";
    }
  }
  apply(stored());
  function install() {
    // Material's search dialog has no accessible name of its own.
    var search = document.querySelector(".md-search[role=dialog]");
    if (search && !search.getAttribute("aria-label")) search.setAttribute("aria-label", "搜索");
    if (document.getElementById("nb-elder-toggle")) return;
    var header = document.querySelector(".md-header__inner");
    if (!header) return;
    var button = document.createElement("button");
    button.id = "nb-elder-toggle";
    button.type = "button";
    button.className = "nb-elder-toggle";
    button.title = "放大字号并提高对比度";
    header.insertBefore(button, header.querySelector(".md-search") || null);
    button.addEventListener("click", function () {
      var on = !root.classList.contains("nb-elder");
      try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) {}
      apply(on);
    });
    apply(stored());
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", install);
  else install();
})();

// An agency's table of years: sort by a column (click its header). Without JavaScript the table
// still reads as printed.
(function () {
  function value(cell, numeric) {
    if (!cell) return numeric ? NaN : "";
    var raw = cell.getAttribute("data-sort");
    if (raw === null) raw = cell.textContent.trim();
    return numeric ? (raw === "" ? NaN : parseFloat(raw)) : raw;
  }
  function sortBy(table, index, numeric, descending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a.cells[index], numeric), y = value(b.cells[index], numeric);
      if (numeric) {
        if (isNaN(x) && isNaN(y)) return 0;
        if (isNaN(x)) return 1;  // blanks last, whatever the direction
        if (isNaN(y)) return -1;
        return descending ? y - x : x - y;
      }
      return descending ? y.localeCompare(x, "zh") : x.localeCompare(y, "zh");
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  // Each column header becomes a button; `onSort(th, index, descending)` reorders the rows.
  function addSortButtons(table, onSort) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      if (th.getAttribute("data-key") === null && table.getAttribute("data-keys") === "required") return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "nb-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var descending = th.getAttribute("aria-sort") === "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        onSort(th, index, descending);
      });
    });
  }
  window.nianbaoSortButtons = addSortButtons;  // for the paged tables below
  function install() {
    Array.prototype.forEach.call(document.querySelectorAll("table.nb-sortable"), function (table) {
      if (table.getAttribute("data-nb-ready")) return;
      table.setAttribute("data-nb-ready", "1");
      addSortButtons(table, function (th, index, descending) {
        sortBy(table, index, th.getAttribute("data-type") === "number", descending);
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", install);
  else install();
})();

// Paged summary tables (the comparison and year pages): the page carries its first rows; the rest
// come from data/summary/<year>-<n>.json, one file per year and province, loaded when chosen.
(function () {
  var MAX_ROWS = 20000;  // beyond this a year's rows are loaded one province at a time
  function text(value) { return value === null || value === undefined ? "" : String(value); }
  function setup(box) {
    var form = box.querySelector(".nb-paged-controls"), table = box.querySelector("table");
    var body = table.tBodies[0], pager = box.querySelector(".nb-pager"), count = box.querySelector(".nb-count");
    var size = parseInt(box.getAttribute("data-page-size"), 10) || 50;
    var base = new URL(box.getAttribute("data-base"), location.href);
    var fixedYear = box.getAttribute("data-year");
    var index = null, rows = [], shown = [], page = 0, sortKey = null, descending = false, cache = {};
    function select(name) { return form.querySelector('select[data-filter="' + name + '"]'); }
    function load(chunk) {
      if (!cache[chunk.file]) {
        cache[chunk.file] = fetch(new URL(chunk.file, new URL(box.getAttribute("data-index"), location.href)))
          .then(function (r) { return r.json(); });
      }
      return cache[chunk.file];
    }
    function cell(tag, value, numeric) {
      var el = document.createElement(tag);
      el.textContent = text(value);
      if (numeric) el.className = "nb-num";
      return el;
    }
    function render() {
      var first = index.figures.length + 5, pages = Math.max(1, Math.ceil(shown.length / size));
      page = Math.min(page, pages - 1);
      while (body.firstChild) body.removeChild(body.firstChild);
      shown.slice(page * size, (page + 1) * size).forEach(function (row) {
        var tr = document.createElement("tr"), th = document.createElement("th"), a = document.createElement("a");
        th.scope = "row";
        a.href = new URL(encodeURIComponent(row[0]) + "/" + row[4] + "/", base).href;
        a.textContent = row[1];
        th.appendChild(a);
        tr.appendChild(th);
        tr.appendChild(cell("td", row[4], true));
        tr.appendChild(cell("td", row[2].split("/").join(" / ")));
        tr.appendChild(cell("td", row[3]));
        for (var i = 5; i < first; i++) tr.appendChild(cell("td", row[i], true));
        for (var j = first; j < first + index.rates.length; j++) {
          tr.appendChild(cell("td", row[j] === null ? "" : (row[j] * 100).toFixed(1) + "%", true));
        }
        tr.appendChild(cell("td", row[row.length - 2] + " 个错误，" + row[row.length - 1] + " 个警告"));
        body.appendChild(tr);
      });
      pager.hidden = pages < 2;
      pager.querySelector(".nb-page").textContent = "第 " + (page + 1) + " / " + pages + " 页";
      pager.querySelector('[data-step="-1"]').disabled = page === 0;
      pager.querySelector('[data-step="1"]').disabled = page >= pages - 1;
      count.textContent = "共 " + shown.length + " 行";
    }
    function filterAndSort() {
      var kind = select("kind").value;
      // A name or any part of the region path (县、乡镇): the region list offers provinces only.
      var name = (form.querySelector('input[data-filter="name"]') || { value: "" }).value.trim();
      shown = rows.filter(function (row) {
        return (!kind || row[3] === kind) && (!name || (row[1] + " " + row[2]).indexOf(name) >= 0);
      });
      if (sortKey !== null) {
        var numeric = table.tHead.rows[0].cells[sortKey.cell].getAttribute("data-type") === "number";
        shown.sort(function (a, b) {
          var x = a[sortKey.key], y = b[sortKey.key];
          if (numeric) {
            x = x === null ? NaN : parseFloat(x); y = y === null ? NaN : parseFloat(y);
            if (isNaN(x) && isNaN(y)) return 0;
            if (isNaN(x)) return 1;
            if (isNaN(y)) return -1;
            return descending ? y - x : x - y;
          }
          return descending ? text(y).localeCompare(text(x), "zh") : text(x).localeCompare(text(y), "zh");
        });
      }
      render();
    }
    function choose() {
      var year = fixedYear || select("year").value, region = select("region").value;
      var chunks = index.chunks.filter(function (c) { return String(c.year) === String(year) && (!region || c.region === region); });
      var total = chunks.reduce(function (n, c) { return n + c.rows; }, 0);
      if (total > MAX_ROWS) {
        count.textContent = "本年度共 " + total + " 行，请先选择地区";
        return;
      }
      count.textContent = "正在读取……";
      Promise.all(chunks.map(load)).then(function (parts) {
        rows = [].concat.apply([], parts);
        page = 0;
        filterAndSort();
      }).catch(function () { count.textContent = "无法读取数据文件，可下载 CSV 查看完整的表"; });
    }
    fetch(box.getAttribute("data-index")).then(function (r) { return r.json(); }).then(function (data) {
      index = data;
      form.hidden = false;
      box.querySelector(".nb-first-rows").hidden = true;
      var nameBox = form.querySelector('input[data-filter="name"]');
      if (nameBox) nameBox.addEventListener("input", function () { page = 0; filterAndSort(); });
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) {
        s.addEventListener("change", s.getAttribute("data-filter") === "kind" ? function () { page = 0; filterAndSort(); } : choose);
      });
      table.setAttribute("data-keys", "required");  // the 核验 column has no key: it is not sortable
      window.nianbaoSortButtons(table, function (th, position, down) {
        descending = down;
        sortKey = { key: parseInt(th.getAttribute("data-key"), 10), cell: position };
        page = 0;
        filterAndSort();
      });
      pager.addEventListener("click", function (event) {
        var step = event.target.getAttribute && event.target.getAttribute("data-step");
        if (step) { page += parseInt(step, 10); render(); }
      });
      choose();
    }).catch(function () {});
  }
  function install() {
    Array.prototype.forEach.call(document.querySelectorAll(".nb-paged"), function (box) {
      if (!box.getAttribute("data-nb-ready")) { box.setAttribute("data-nb-ready", "1"); setup(box); }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", install);
  else install();
})();

// Search: a box in the header on every page, and the Pagefind search page (docs/search.md).
(function () {
  function siteBase() {
    var config = document.getElementById("__config");
    var base = ".";
    try { base = JSON.parse(config.textContent).base || "."; } catch (e) {}
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }
  function installHeaderBox() {
    var header = document.querySelector(".md-header__inner");
    if (!header || document.getElementById("nb-q")) return;
    var form = document.createElement("form");
    form.className = "nb-header-search";
    form.setAttribute("role", "search");
    form.action = new URL("search/", siteBase()).href;
    form.innerHTML = '<label for="nb-q" class="nb-sr-only">搜索报告</label>' +
      '<input id="nb-q" name="q" type="search" placeholder="搜索报告" autocomplete="off">';
    var query = new URLSearchParams(location.search).get("q");
    if (query) form.querySelector("input").value = query;
    header.insertBefore(form, document.getElementById("nb-elder-toggle") || null);
  }
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  // The passage around the query as the reader typed it: the whole phrase where the report holds
  // it, else its longest word (Pagefind's own excerpt picks the densest window of segmented
  // words, e.g. 行政执法 for 行政复议). The text is escaped; only <mark> is markup.
  function matchExcerpt(content, query) {
    var words = query.split(" ").filter(Boolean).sort(function (a, b) { return b.length - a.length; });
    var needle = content.indexOf(query) >= 0 ? query : words.filter(function (w) { return content.indexOf(w) >= 0; })[0];
    if (!needle) return null;
    var at = content.indexOf(needle);
    var start = Math.max(0, at - EXCERPT_BEFORE), end = Math.min(content.length, at + needle.length + EXCERPT_AFTER);
    var marks = [query].concat(words).filter(function (w, i, all) { return w && all.indexOf(w) === i; })
      .map(function (w) { return escapeRegExp(escapeHtml(w)); });
    var text = escapeHtml(content.slice(start, end)).replace(new RegExp(marks.join("|"), "g"), "<mark>$&</mark>");
    return (start > 0 ? "…" : "") + text + (end < content.length ? "…" : "");
  }
  var phrase = "", EXCERPT_BEFORE = 40, EXCERPT_AFTER = 80;
  // The twin of site/searchkeys.py: a run of two or more Han characters becomes its bigram keys
  // (the index holds the same keys for every report), so index and query agree whatever either
  // segmenter makes of the words. A lone character and anything else is searched as typed.
  function isHan(cp) {
    return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F);
  }
  function letters(cp) {
    var out = "";
    for (var i = 0; i < 4; i++) { out = String.fromCharCode(97 + cp % 26) + out; cp = Math.floor(cp / 26); }
    return out;
  }
  function gramQuery(text) {
    var words = [], run = [];
    function flush() {
      if (run.length === 1) words.push(String.fromCodePoint(run[0]));
      for (var i = 1; i < run.length; i++) {
        var key = "zq" + letters(run[i - 1]) + letters(run[i]);
        if (words.indexOf(key) < 0) words.push(key);
      }
      run = [];
    }
    var other = "";
    Array.from(text).forEach(function (ch) {
      var cp = ch.codePointAt(0);
      if (isHan(cp)) {
        if (other.trim()) words.push(other.trim());
        other = "";
        run.push(cp);
      } else {
        flush();
        other += ch;
      }
    });
    flush();
    if (other.trim()) words.push(other.trim());
    return words.join(" ");
  }
  window.nianbaoGramQuery = gramQuery;  // for the browser test, which compares it with the index's keys
  // 机构直达 (site/directory.py): agencies and regions whose name holds the query's longest run of
  // Chinese characters, from the one bucket of its first bigram; exact names first, then names
  // that start with it, then the rest, shorter names first. Names are report data: text only.
  function nameBucket(gram, buckets) {
    var h = 2166136261;
    Array.from(gram).forEach(function (ch) { h = Math.imul(h ^ ch.codePointAt(0), 16777619) >>> 0; });
    return h % buckets;
  }
  var directSeq = 0, DIRECT_SHOWN = 8;
  function longestHanRun(text) {
    var best = "", run = "";
    Array.from(text + " ").forEach(function (ch) {
      if (isHan(ch.codePointAt(0))) { run += ch; return; }
      if (Array.from(run).length > Array.from(best).length) best = run;
      run = "";
    });
    return best;
  }
  // The names that hold the query's longest Han run, best first ({item, tier}): one bucket of the
  // directory (site/directory.py) is fetched. The 填报 page finds agencies with it too.
  function directoryMatches(base, query) {
    var needle = longestHanRun(query), chars = Array.from(needle);
    if (chars.length < 2) return Promise.resolve({ needle: needle, found: [] });
    var folder = new URL("search/names/", base);
    return fetch(new URL("index.json", folder)).then(function (r) { return r.json(); }).then(function (index) {
      return fetch(new URL(nameBucket(chars[0] + chars[1], index.buckets) + ".json", folder))
        .then(function (r) { return r.ok ? r.json() : []; });
    }).then(function (items) {
      var found = items.filter(function (it) { return it[1].indexOf(needle) >= 0; }).map(function (it) {
        return { item: it, tier: it[1] === needle ? 0 : it[1].indexOf(needle) === 0 ? 1 : 2 };
      }).sort(function (a, b) {
        return a.tier - b.tier || a.item[1].length - b.item[1].length || (a.item[1] < b.item[1] ? -1 : a.item[1] > b.item[1] ? 1 : 0);
      });
      return { needle: needle, found: found };
    });
  }
  window.nianbaoDirectory = { matches: directoryMatches };
  function showDirect(box, base, query) {
    var seq = ++directSeq;
    function clear() { while (box.firstChild) box.removeChild(box.firstChild); box.hidden = true; }
    if (Array.from(longestHanRun(query)).length < 2) { clear(); return; }
    directoryMatches(base, query).then(function (answer) {
      if (seq !== directSeq) return;
      var found = answer.found, needle = answer.needle;
      clear();
      if (!found.length) return;
      var heading = document.createElement("h2");
      heading.textContent = "机构直达";
      var list = document.createElement("ul");
      found.slice(0, DIRECT_SHOWN).forEach(function (f) {
        var it = f.item, li = document.createElement("li"), a = document.createElement("a");
        a.href = new URL(it[2], base).href;
        a.textContent = it[1];
        li.appendChild(a);
        li.appendChild(document.createTextNode("（" + it[0] + " · " + it[3] + "）"));
        if (it[5]) {
          var latest = document.createElement("a");
          latest.href = new URL(it[5], base).href;
          latest.textContent = "最新报告：" + it[4] + " 年";
          li.appendChild(latest);
        }
        list.appendChild(li);
      });
      box.appendChild(heading);
      box.appendChild(list);
      if (found.length > DIRECT_SHOWN) {
        var more = document.createElement("p");
        more.textContent = "另有 " + (found.length - DIRECT_SHOWN) + " 个名称含“" + needle + "”的机构或地区，输入更完整的名称可缩小范围。";
        box.appendChild(more);
      }
      box.hidden = false;
    }).catch(function () { if (seq === directSeq) clear(); });
  }
  function withoutKeys(content) {
    var at = content.search(/(^|\s)zq[a-z]{8}(\s|$)/);
    return (at < 0 ? content : content.slice(0, at)).trim();
  }
  function unique(values) { return values.filter(function (v, i, all) { return all.indexOf(v) === i; }); }
  // A large archive is indexed in bundles of at most 1,000 reports, each of one year (newest
  // first in the manifest): a query merges only the bundles of the year the reader picked (the
  // newest by default, or all years) and of the province picked, so its cost does not grow with
  // the archive. A small repo has one bundle and no choice to make.
  function searchScope(all) {
    var years = unique(all.map(function (b) { return b.year; }).filter(function (y) { return y !== null; }));
    if (!years.length) return { bundles: all, years: [] };
    var params = new URLSearchParams(location.search);
    var year = params.get("year") === "all" ? "all" : Number(params.get("year"));
    if (year !== "all" && years.indexOf(year) < 0) year = years[0];
    var inYear = all.filter(function (b) { return year === "all" || b.year === year; });
    // Only the provinces that year holds: a choice that finds no bundle would look like a missing index.
    var regions = unique([].concat.apply([], inYear.map(function (b) { return b.regions; }))).sort();
    var region = regions.indexOf(params.get("region")) >= 0 ? params.get("region") : "";
    var chosen = inYear.filter(function (b) { return !region || b.regions.indexOf(region) >= 0; });
    var reports = chosen.reduce(function (n, b) { return n + b.reports; }, 0);
    return { bundles: chosen, years: years, year: year, regions: regions, region: region, reports: reports };
  }
  function option(select, value, label, selected) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;  // region names are report data: text, never markup
    o.selected = selected;
    select.appendChild(o);
  }
  function scopeForm(scope) {
    var form = document.createElement("form");
    form.className = "nb-search-scope";
    form.setAttribute("aria-label", "搜索范围");
    var year = document.createElement("select"), region = document.createElement("select");
    year.name = "year";
    region.name = "region";
    // The select sits inside its label, whose text would then include every option: name it plainly.
    year.setAttribute("aria-label", "搜索的年度");
    region.setAttribute("aria-label", "搜索的地区");
    scope.years.forEach(function (y) { option(year, String(y), y + " 年", scope.year === y); });
    option(year, "all", "全部年度", scope.year === "all");
    option(region, "", "全部地区", !scope.region);
    scope.regions.forEach(function (r) { option(region, r, r, scope.region === r); });
    [["年度", year], ["地区", region]].forEach(function (pair) {
      var label = document.createElement("label");
      label.textContent = pair[0] + " ";
      label.appendChild(pair[1]);
      form.appendChild(label);
    });
    var note = document.createElement("span");
    note.className = "nb-search-scope-note";
    var when = scope.year === "all" ? "全部年度" : " " + scope.year + " 年";
    note.textContent = scope.region ? "在" + when + scope.region + "的报告中搜索" :
      "在" + when + "的 " + scope.reports.toLocaleString("zh-CN") + " 份报告中搜索";
    form.appendChild(note);
    // Another scope is another set of bundles: load the page again with it, keeping the query.
    form.addEventListener("change", function () {
      var params = new URLSearchParams();
      var input = document.querySelector("#nb-search input.pagefind-ui__search-input");
      if (input && input.value) params.set("q", input.value);
      params.set("year", year.value);
      if (region.value) params.set("region", region.value);
      location.search = params.toString();
    });
    return form;
  }
  function installSearchPage() {
    var box = document.getElementById("nb-search");
    if (!box || box.getAttribute("data-ready")) return;
    box.setAttribute("data-ready", "1");
    var base = siteBase();
    fetch(new URL("search-bundles.json", base).href).then(function (r) { return r.json(); })
      .catch(function () { return [{ path: "pagefind/", year: null, reports: 0, regions: [] }]; })
      .then(function (entries) {
        var scope = searchScope(entries);
        var bundles = scope.bundles.map(function (b) { return b.path; });
        var primary = bundles[0] || "pagefind/";
        if (scope.years.length) box.parentNode.insertBefore(scopeForm(scope), box);
        var direct = document.createElement("section");
        direct.className = "nb-direct";
        direct.setAttribute("aria-label", "机构直达");
        direct.hidden = true;
        box.parentNode.insertBefore(direct, box.nextSibling);
        var css = document.createElement("link");
        css.rel = "stylesheet";
        css.href = new URL(primary + "pagefind-ui.css", base).href;
        document.head.appendChild(css);
        return loadScript(new URL(primary + "pagefind-ui.js", base).href).catch(function () {
          box.innerHTML = '<p class="nb-search-missing">本次构建没有生成搜索索引（大量报告的预览默认不生成；' +
            '设置 NIANBAO_SEARCH=on 后重新构建即可）。可以从“按机构”“按年度”查找报告。</p>';
          throw new Error("no search index");
        }).then(function () {
          var ui = new PagefindUI({
            element: "#nb-search",
            bundlePath: new URL(primary, base).pathname,
            baseUrl: base.pathname,
            mergeIndex: bundles.slice(1).map(function (b) { return { bundlePath: new URL(b, base).pathname }; }),
            showImages: false,
            debounceTimeoutMs: 100,
            showSubResults: false,
            resetStyles: true,
            openFilters: ["年度"],
            // A phrase pasted in quotes finds the reports that hold it (Pagefind would look for
            // the quoted form of segmented Chinese, and find nothing).
            processTerm: function (term) {
              phrase = term.replace(/["“”「」『』]/g, " ").replace(/\s+/g, " ").trim();
              showDirect(direct, base, phrase);
              return gramQuery(phrase);
            },
            processResult: function (result) {
              var m = result.meta || {};
              // Pagefind shows the excerpt as HTML; the metadata is report data, shown as text.
              var line = escapeHtml([m.agency, m.year && m.year + " 年", m.region].filter(Boolean).join(" · "));
              // The bigram keys follow the text (scale/search.py): never shown. Pagefind's own excerpt
              // would be made of them, so the fallback is the report's opening.
              var content = withoutKeys(result.content || "");
              var around = matchExcerpt(content, phrase);
              result.excerpt = '<span class="nb-result-meta">' + line + "</span><br>" +
                (around || escapeHtml(content.slice(0, EXCERPT_BEFORE + EXCERPT_AFTER)) + "…");
              return result;
            }
          });
          // Pagefind labels its input by a title only; give it a proper accessible name.
          var labelInput = function () {
            var input = box.querySelector("input.pagefind-ui__search-input");
            if (!input) return false;
            input.setAttribute("aria-label", "搜索报告");
            // 机构直达 goes between the box and the results (and the filters), where it is seen first.
            var drawer = box.querySelector(".pagefind-ui__drawer");
            if (drawer) drawer.parentNode.insertBefore(direct, drawer);
            // Pagefind loads its engine and this scope's index entries when the box gets focus; the
            // page is there to search, so start that now (without moving the reader's focus), while
            // the reader reaches the box and types, instead of after the first keystroke.
            input.dispatchEvent(new Event("focus"));
            return true;
          };
          if (!labelInput()) new MutationObserver(function (_, observer) {
            if (labelInput()) observer.disconnect();
          }).observe(box, { childList: true, subtree: true });
          if (scope.region) ui.triggerFilters({ "地区": [scope.region] });
          var query = new URLSearchParams(location.search).get("q");
          if (query) ui.triggerSearch(query);
          var header = document.getElementById("nb-q");
          if (header) header.form.addEventListener("submit", function (event) {
            event.preventDefault();
            var params = new URLSearchParams(location.search);
            params.set("q", header.value);
            history.replaceState(null, "", "?" + params.toString());
            ui.triggerSearch(header.value);
          });
        });
      });
  }
  function install() { installHeaderBox(); installSearchPage(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", install);
  else install();
})();

// Wide statutory tables: say that they scroll sideways (a line above the table, shown on a narrow
// screen where the table is wider than its box) and shade the edge there is more of.
(function () {
  function update(box) {
    var wide = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("nb-scrolls", wide);
    box.classList.toggle("nb-scrolled-end", box.scrollLeft + box.clientWidth >= box.scrollWidth - 1);
    var hint = box.previousElementSibling;
    if (hint && hint.classList.contains("nb-scroll-hint")) hint.classList.toggle("nb-on", wide);
  }
  function install() {
    var boxes = document.querySelectorAll(".nb-table-scroll");
    Array.prototype.forEach.call(boxes, function (box) {
      if (!box.previousElementSibling || !box.previousElementSibling.classList.contains("nb-scroll-hint")) {
        var hint = document.createElement("p");
        hint.className = "nb-scroll-hint";
        hint.setAttribute("aria-hidden", "true");  // the region's own name says what it is; this is for the eye
        hint.textContent = "表格较宽，左右滑动查看，左侧的行名保持不动";
        box.parentNode.insertBefore(hint, box);
      }
      box.addEventListener("scroll", function () { update(box); }, { passive: true });
      update(box);
    });
    window.addEventListener("resize", function () { Array.prototype.forEach.call(boxes, update); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", install);
  else install();
})();
