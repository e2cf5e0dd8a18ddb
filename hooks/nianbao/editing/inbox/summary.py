"""The Chinese summary an editor reads on the pull request's run page (the job summary): for each
uploaded file, what became of it, the draft's check result in `nianbao check`'s own lines, and
what to do next."""

from __future__ import annotations

from ...core.check import summarize

ARTIFACT = "nianbao-inbox-drafts"  # the workflow uploads the output folder under this name


def summary(entries) -> str:
    if not entries:
        return "# 导入 inbox/ 中的报告\n\n本拉取请求没有在 inbox/ 中上传新的报告文件。\n"
    done = [e for e in entries if e.ok]
    lines = ["# 导入 inbox/ 中的报告", "",
             f"上传了 {len(entries)} 个文件：{len(done)} 个已导入为草稿，{len(entries) - len(done)} 个未能导入。", ""]
    for entry in entries:
        lines += section(entry)
    if done:
        lines += ["## 下一步", "",
                  "- 本拉取请求的分支在本仓库中时，草稿会自动提交到分支上的 `reports/<机构代码>/`，"
                  "并删去 inbox/ 中已导入的文件。",
                  f"- 来自复刻（fork）的拉取请求：在本次运行页面的“Artifacts”中下载 `{ARTIFACT}`，"
                  "把其中 `reports/` 下的文件上传到你的分支的同一位置，并删去 inbox/ 中的原文件。",
                  "- 请逐格对照原文核对草稿：未能确定的单元格写作 `{uncertain: \"…\"}`（规则 UNCERTAIN），"
                  "必须按原文改为数字，原文确为空白的改为 `null`；"
                  "确属原文如此的问题，在报告 YAML 的 `acknowledged` 中确认。", ""]
    return "\n".join(lines)


def section(entry) -> list[str]:
    target = f"reports/{entry.slug}/{entry.year}.yml" if entry.ok else ""
    if not entry.ok:
        # The reason may quote the upload's own title: shown as literal text, never as Markdown.
        lines = [f"## ✗ {code(entry.source)}", "", "未能导入：", "", *fenced([entry.error])]
        if entry.problems:
            lines += fenced([p.format() for p in entry.problems])
        return lines
    mark = "!" if entry.failed_check or entry.counts.get("uncertain") else "✓"
    c = entry.counts
    lines = [f"## {mark} {code(entry.source)} → `{target}`", "",
             f"- 格式 {entry.edition}；单元格：{c.get('certain', 0)} 个直接读出，{c.get('solved', 0)} 个按勾稽关系拆分确定，"
             f"{c.get('uncertain', 0)} 个不确定",
             "- 草稿：" + "、".join(f"`{path}`" for path in entry.files)]
    if entry.sidecar:
        lines.append(f"- 补充信息：{code(entry.sidecar)}")
    reports = sum(1 for path in entry.files if path.endswith(".yml") and not path.endswith("agency.yml"))
    lines += [f"- 检查：{summarize(1, reports, entry.problems)}", ""]
    errors = [p.format() for p in entry.problems if p.level == "error" and p.acknowledged is None]
    others = [p.format() for p in entry.problems if not (p.level == "error" and p.acknowledged is None)]
    if errors:
        lines += fenced(errors)
    if others:  # blank cells of the original alone are dozens of warnings: folded, never left out
        lines += ["<details><summary>" + f"{len(others)} 个警告、提示和已确认的问题" + "</summary>", "",
                  *fenced(others), "</details>", ""]
    return lines


def fenced(lines: list[str]) -> list[str]:
    # Problem lines quote the report's text; a fence longer than any backtick run in them keeps
    # them literal in the rendered summary.
    fence = "`" * max(3, longest_backticks(lines) + 1)
    return [fence + "text", *lines, fence, ""]


def code(text: str) -> str:
    """Inline code for a name the editor chose (it may hold backticks itself)."""
    fence = "`" * (longest_backticks([text]) + 1)
    return f"{fence} {text} {fence}" if "`" in text else f"`{text}`"


def longest_backticks(lines: list[str]) -> int:
    best = 0
    for line in lines:
        run = 0
        for ch in line:
            run = run + 1 if ch == "`" else 0
            best = max(best, run)
    return best
