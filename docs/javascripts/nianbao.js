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
