// The 填报 page's output: the files as downloads (one link each, clicked for the editor), what is
// still open in the check, and the hand-off to the repository's upload page of the agency's folder.
function link(path, text) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  a.download = path.split("/").pop();
  a.dataset.path = path;
  a.textContent = path;
  return a;
}

export function offerFiles({ files, agency, repo, errors }) {
  const list = document.getElementById("nb-tb-files");
  list.replaceChildren();
  for (const [path, text] of Object.entries(files)) {
    const item = document.createElement("li");
    const a = link(path, text);
    item.append(a);
    list.append(item);
    a.click();
  }
  const note = document.getElementById("nb-tb-files-note");
  note.textContent = errors
    ? `注意：核验结果中还有 ${errors} 个错误未改正或确认，提交后检查不会通过。文件已下载，改正后请重新下载。`
    : "文件已下载。再次下载时，浏览器可能在文件名后加“(1)”：上传前请改回原名。";
  if (repo) {
    document.getElementById("nb-tb-handoff-link").href = `${repo.replace(/\/$/, "")}/upload/main/reports/${agency}`;
    document.getElementById("nb-tb-handoff").hidden = false;
  }
}
