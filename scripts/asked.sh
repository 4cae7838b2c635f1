# Sourced by the scripts that would change the machine. Outside CI (CI unset, or false), nothing
# installs a system package or starts a daemon unless the user asked for it by name.
#   asked VAR WHAT: returns when CI is set, or VAR=1; otherwise says what it would do (WHAT) and
#   how to allow it, and exits 1.
asked() {
  local var=$1 what=$2
  case ${CI:-} in '' | false | 0) ;; *) return 0 ;; esac
  [[ ${!var:-} == 1 ]] && return 0
  echo "tracegate: this step would $what." >&2
  echo "tracegate: outside CI nothing installs a system package or starts a daemon unless asked: run again with $var=1 to let it, or do it yourself." >&2
  exit 1
}
