"""`nianbao inbox`: a report file uploaded to inbox/ in a pull request, turned into a checked draft.

Two steps with a trust boundary between them, as the workflow runs them:
- `nianbao inbox import` (run.py) reads the pull request's inbox/ files with the base branch's
  code, imports each into a draft under reports/<slug>/, checks it, and writes the drafts with a
  manifest and a Chinese summary into a folder (the workflow's artifact). It has no write token.
- `nianbao inbox commit` (push.py) takes that folder, validates every path and name again (the
  folder came from a job that read untrusted files), and commits the drafts onto the pull
  request's branch with git plumbing: nothing of the pull request is checked out or run.
"""
