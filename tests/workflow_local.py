"""A small local runner for the steps of a GitHub Actions workflow, enough to run inbox.yml on a
fixture pull request: `run` steps in bash with the workflow's env and working-directory, the
`${{ … }}` expressions filled from a fake event, and the actions it uses played locally
(checkout as a clone of a local "origin", artifacts as folders). `pip install` steps are
recorded, not run: the package under test stands in for the base branch's install.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*")


def load(path: Path) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); workflows mean the string.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def lookup(context: dict, name: str):
    value = context
    for part in name.split("."):
        value = value[part]
    return value


def substitute(text: str, context: dict) -> str:
    return EXPRESSION.sub(lambda m: str(evaluate(m.group(1), context)), text)


def evaluate(expression: str, context: dict):
    """The subset inbox.yml uses: names, 'strings', always(), ==, !=, &&, ||."""
    python = []
    for token in re.findall(r"'[^']*'|&&|\|\||==|!=|\(|\)|always\(\)|" + NAME.pattern, expression):
        if token == "&&":
            python.append(" and ")
        elif token == "||":
            python.append(" or ")
        elif token == "always()":
            python.append("True")
        elif token.startswith("'") or token in ("==", "!=", "(", ")"):
            python.append(token)
        else:
            python.append(repr(lookup(context, token)))
    return eval("".join(python), {"__builtins__": {}})  # noqa: S307 - our own workflow's expressions


@dataclass
class Run:
    origin: Path  # the repository the checkouts clone (a bare repo)
    workspace: Path
    context: dict
    artifacts: Path
    skipped: list[str] = field(default_factory=list)  # "job: step" of the pip installs not run
    results: dict = field(default_factory=dict)  # job -> success | failure | skipped

    def job(self, workflow: dict, job_id: str) -> str:
        job = workflow["jobs"][job_id]
        context = dict(self.context, needs={n: {"result": self.results[n]} for n in as_list(job.get("needs"))})
        if "if" in job and not evaluate(job["if"], context):
            self.results[job_id] = "skipped"
            return "skipped"
        folder = self.workspace / job_id
        temp = self.workspace / f"{job_id}-temp"
        folder.mkdir(parents=True)
        temp.mkdir()
        context["runner"] = {"temp": str(temp)}
        failed = False
        for step in job["steps"]:
            condition = step.get("if")
            if failed and not (condition and "always()" in condition):
                continue
            if condition and not evaluate(condition, context):
                continue
            ok = self.step(job_id, step, folder, temp, context)
            failed = failed or not ok
        self.results[job_id] = "failure" if failed else "success"
        return self.results[job_id]

    def step(self, job_id: str, step: dict, folder: Path, temp: Path, context: dict) -> bool:
        inputs = {k: substitute(str(v), context) for k, v in (step.get("with") or {}).items()}
        if "uses" in step:
            action = step["uses"].split("@")[0]
            if action == "actions/checkout":
                target = folder / inputs.get("path", ".")
                subprocess.run(["git", "clone", "-q", f"file://{self.origin}", str(target)], check=True)
                subprocess.run(["git", "checkout", "-q", inputs["ref"]], cwd=target, check=True)
            elif action == "actions/upload-artifact":
                if Path(inputs["path"]).is_dir():
                    shutil.copytree(inputs["path"], self.artifacts / inputs["name"])
            elif action == "actions/download-artifact":
                shutil.copytree(self.artifacts / inputs["name"], inputs["path"])
            elif action != "actions/setup-python":
                raise AssertionError(f"no local stand-in for {action}")
            return True
        script = substitute(step["run"], context)
        if re.fullmatch(r"python -m pip install \S+", script.strip()):
            self.skipped.append(f"{job_id}: {script.strip()}")
            return True
        env = dict(os.environ, RUNNER_TEMP=str(temp), GITHUB_STEP_SUMMARY=str(temp / "summary.md"),
                   PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
        env.update({k: substitute(str(v), context) for k, v in (step.get("env") or {}).items()})
        cwd = folder / step.get("working-directory", ".")
        return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env=env).returncode == 0


def as_list(value) -> list:
    return [] if value is None else [value] if isinstance(value, str) else list(value)
