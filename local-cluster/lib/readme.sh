# shellcheck shell=bash disable=SC2154 # state, repo, bridge, ...: set by lib/settings.sh and the script that sources this
# Sourced by try-mlws and test-try-it: the README's try-it blocks are the script, so they cannot go stale.
# A block is the ```sh fence right after a line `<!-- try-it: NAME -->` in README.md.
readme_block() { # name
  local block
  block=$(awk -v marker="<!-- try-it: $1 -->" '
    $0 == marker { found = 1; next }
    found == 1 && /^```sh$/ { found = 2; next }
    found == 2 && /^```$/ { exit }
    found == 2 { print }' "$repo/README.md")
  [ -n "$block" ] || { echo "README.md has no try-it block \"$1\"" >&2; return 1; }
  printf '%s\n' "$block"
}
