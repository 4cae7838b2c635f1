#!/usr/bin/env bash
# Runs a command and fails if it left the repository's tree changed: a tracked file edited or
# deleted, or a file created that .gitignore does not cover (a build resolving modules in the
# root go.mod, say). Files already changed before it ran are compared by content, so a dirty
# working copy is fine as long as the command leaves it as it was. The command's own failure
# comes first: its exit status is kept. Outside a git work tree it only runs the command.
# Usage: scripts/tree-unchanged.sh COMMAND [ARG...]   (the Makefile wraps its targets in it)
set -uo pipefail
root=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel 2>/dev/null) || exec "$@"

# state: each changed or untracked path (not ignored) with the hash of its content.
state() {
  git -C "$root" status --porcelain=v1 -z --untracked-files=all --no-renames |
    while IFS= read -r -d '' entry; do
      path=${entry:3}
      if [[ -f $root/$path ]]; then
        printf '%s %s %s\n' "${entry:0:2}" "$(git -C "$root" hash-object -- "$path")" "$path"
      else
        printf '%s - %s\n' "${entry:0:2}" "$path"
      fi
    done
}

before=$(state)
"$@"
status=$?
after=$(state)
if [[ $before != "$after" ]]; then
  echo "tree-unchanged: '$*' changed the repository's tree (lines: git status code, content hash, path):" >&2
  diff <(echo "$before") <(echo "$after") | sed -n 's/^[<>] /  /p' >&2
  echo "  No target may edit a tracked file or create one outside .gitignore: a build must use a module of its own, never the root go.mod. (If you edited these files yourself meanwhile, run it again.)" >&2
  [[ $status -ne 0 ]] || status=3
fi
exit $status
