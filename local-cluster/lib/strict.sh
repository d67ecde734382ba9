# shellcheck shell=bash
# Sourced first by every script of mlws (local-cluster/, .ci/, bench/, the test models' and Azurite's scripts):
# bash's strict mode, and no silent exit. A command that fails where the script does not test it is named on
# stderr with its file, line and exit status; a nested script names its own line, then its caller names the
# line that ran it. A command whose output goes to a log runs through run_logged, which prints the log's tail.
# Inside a subshell (a command substitution, a pipeline's part, a `( ... )`) a failure is not named there: the
# script may ignore it by design (`for x in $(grep ...)`), and where it does not, the line that ran the subshell
# fails and is named.
set -eEuo pipefail
trap 'failed_command "$?" "$LINENO" "$BASH_COMMAND"' ERR

failed_command() { # status line command
  [ "$BASH_SUBSHELL" -eq 0 ] || return 0
  local file=${BASH_SOURCE[1]:-$0} text
  # The line as written (a function that returned non-zero is named by its caller's line, not `return`).
  text=$(sed -n "$2{s/^[[:space:]]*//;p;q}" "$file" 2>/dev/null || true)
  echo "${0##*/}: failed (exit $1) at $file line $2: ${text:-$3}" >&2
}

# Runs a command with its output in LOG; when it fails, names it and prints LOG's last lines, and returns its
# status (so that the caller's strict mode stops there).
run_logged() { # log command...
  local log=$1 status=0
  shift
  "$@" > "$log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    echo "${0##*/}: failed (exit $status): $*; the last lines of $log:" >&2
    tail -n 30 "$log" | sed 's/^/  | /' >&2
  fi
  return "$status"
}
