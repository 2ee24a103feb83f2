# Sourced by bin/orchestrator and .ci/run, so that both pick a JDK the same way. find_jdk prints the java binary of
# a JDK 21 or newer: $JAVA_HOME's, then the one on the PATH, then the first under the usual install places
# ($ORCHESTRATOR_JDK_SEARCH replaces their list). When there is none it says which it tried and what to install on
# standard error, and returns 2.

java_major() { # the feature version of the java binary $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {split($2, v, "."); print (v[1] == "1") ? v[2] : v[1]; exit}' \
    || echo 0
}

find_jdk() {
  tried=""
  # where JDKs are installed on Debian/Ubuntu/Fedora and macOS
  search=${ORCHESTRATOR_JDK_SEARCH:-"/usr/lib/jvm/*/bin/java /Library/Java/JavaVirtualMachines/*/Contents/Home/bin/java"}
  # shellcheck disable=SC2086 # the globs in $search are meant to expand
  for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null || true)" $search; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    major=$(java_major "$candidate")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
    tried="$tried $candidate (Java ${major:-?})"
  done
  echo "Orchestrator for Java needs Java 21 or newer, and found none${tried:+ (tried:$tried)}. Install a JDK 21+ (e.g. apt-get install openjdk-21-jdk, or https://adoptium.net) and set JAVA_HOME to it." >&2
  return 2
}
