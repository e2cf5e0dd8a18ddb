// The 填报 page's preview: the report as its page will show it, drawn by the published page's own
// functions (site/preview.py, run by the engine). Its ids are renamed into the page's own (pv-…):
// the form's tables are drawn by the same renderer, and a table's cells name their headers by id.
export async function showPreview(out, draw) {
  out.textContent = "正在生成预览……";
  delete out.dataset.stale;
  try {
    out.innerHTML = await draw();
  } catch (err) {
    out.textContent = `无法预览：${err.message}`;
    return;
  }
  for (const el of out.querySelectorAll("[id]")) el.id = `pv-${el.id}`;
  for (const el of out.querySelectorAll("[headers]")) {
    el.setAttribute("headers", el.getAttribute("headers").split(" ").map((h) => `pv-${h}`).join(" "));
  }
  for (const a of out.querySelectorAll('a[href^="#"]')) a.setAttribute("href", `#pv-${a.getAttribute("href").slice(1)}`);
}
