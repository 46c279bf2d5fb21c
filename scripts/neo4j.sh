#!/usr/bin/env bash
# A local Neo4j Community server for kg's tests, benchmarks and anyone without one.
#
#   scripts/neo4j.sh install   fetch the server jars from Maven Central (cached in ~/.m2)
#   scripts/neo4j.sh start     install if needed, configure, start, wait until RETURN 1 works
#   scripts/neo4j.sh status    running or not, and where
#   scripts/neo4j.sh env       print the NEO4J_* exports for this server (eval "$(scripts/neo4j.sh env)")
#   scripts/neo4j.sh stop      stop it (SIGTERM, clean shutdown)
#   scripts/neo4j.sh wipe      stop it and delete its data
#
# Settings (environment): KG_NEO4J_HOME (default .neo4j in the repo), KG_NEO4J_PORT (7687),
# KG_NEO4J_APOC=1 (also install APOC core: the benchmark's neo4j-graphrag baseline needs it),
# KG_NEO4J_HEAP (1g), KG_NEO4J_PAGECACHE (512m),
# NEO4J_PASSWORD (default: a random one, generated once and kept in $KG_NEO4J_HOME/password,
# readable only by you). The server listens on 127.0.0.1 only. See docs/neo4j.md.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VERSION="${KG_NEO4J_VERSION:-5.26.30}"
HOME_DIR="${KG_NEO4J_HOME:-$ROOT/.neo4j}"
PORT="${KG_NEO4J_PORT:-7687}"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || PY=python3
HEAP="${KG_NEO4J_HEAP:-1g}"
PAGECACHE="${KG_NEO4J_PAGECACHE:-512m}"
PIDFILE="$HOME_DIR/run/neo4j.pid"
LOG="$HOME_DIR/logs/console.log"

say() { echo "neo4j.sh: $*" >&2; }

password() {
  if [ -n "${NEO4J_PASSWORD:-}" ]; then
    printf '%s' "$NEO4J_PASSWORD"
    return
  fi
  mkdir -p "$HOME_DIR"
  if [ ! -s "$HOME_DIR/password" ]; then
    (umask 077; "$PY" -c 'import secrets; print(secrets.token_urlsafe(18), end="")' > "$HOME_DIR/password")
  fi
  cat "$HOME_DIR/password"
}

classpath() { echo "$HOME_DIR/plugins/*:$HOME_DIR/conf/*:$HOME_DIR/lib/*"; }

install() {
  if [ -f "$HOME_DIR/lib/.version" ] && [ "$(cat "$HOME_DIR/lib/.version")" = "$VERSION" ]; then
    return
  fi
  command -v java >/dev/null || { say "java is not installed (Neo4j $VERSION needs Java 17 or 21)"; exit 1; }
  command -v mvn >/dev/null || { say "mvn is not installed (it fetches the server jars from Maven Central)"; exit 1; }
  say "fetching Neo4j $VERSION from Maven Central (cached in ~/.m2)"
  rm -rf "$HOME_DIR/lib"
  mkdir -p "$HOME_DIR/lib"
  mvn -q -B -f "$ROOT/scripts/neo4j/pom.xml" -Dneo4j.version="$VERSION" \
      dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$HOME_DIR/lib"
  echo "$VERSION" > "$HOME_DIR/lib/.version"
}

APOC_VERSION="${KG_NEO4J_APOC_VERSION:-5.26.19}"

install_apoc() {
  # APOC core, only for the benchmark's neo4j-graphrag baseline (kg itself uses plain Cypher)
  if [ -f "$HOME_DIR/plugins/.apoc-$APOC_VERSION" ]; then
    return
  fi
  say "fetching APOC $APOC_VERSION from Maven Central"
  mkdir -p "$HOME_DIR/plugins"
  local tmp
  tmp="$(mktemp -d)"
  mvn -q -B -f "$ROOT/scripts/neo4j/apoc-pom.xml" -Dapoc.version="$APOC_VERSION" \
      dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp"
  for jar in "$tmp"/*.jar; do  # jars the server already has stay out of plugins/
    name="$(basename "$jar")"
    base="${name%-[0-9]*}"
    if ! ls "$HOME_DIR/lib/$base"-[0-9]*.jar >/dev/null 2>&1; then cp "$jar" "$HOME_DIR/plugins/"; fi
  done
  rm -rf "$tmp"
  touch "$HOME_DIR/plugins/.apoc-$APOC_VERSION"
}

configure() {
  mkdir -p "$HOME_DIR"/{conf,data,logs,run,plugins,import}
  cat > "$HOME_DIR/conf/neo4j.conf" <<EOF
server.default_listen_address=127.0.0.1
server.bolt.listen_address=127.0.0.1:$PORT
server.bolt.advertised_address=127.0.0.1:$PORT
server.http.enabled=false
server.https.enabled=false
server.memory.pagecache.size=$PAGECACHE
server.memory.heap.initial_size=$HEAP
server.memory.heap.max_size=$HEAP
dbms.usage_report.enabled=false
dbms.security.auth_enabled=true
db.tx_log.rotation.retention_policy=1 files
server.logs.config=$HOME_DIR/conf/server-logs.xml
server.logs.user.config=$HOME_DIR/conf/user-logs.xml
EOF
  for f in server-logs user-logs; do
    cat > "$HOME_DIR/conf/$f.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="ERROR">
  <Appenders><Console name="console" target="SYSTEM_OUT"><PatternLayout pattern="%d{HH:mm:ss.SSS} %-5p %m%n"/></Console></Appenders>
  <Loggers><Root level="WARN"><AppenderRef ref="console"/></Root></Loggers>
</Configuration>
EOF
  done
}

running() {
  [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

probe() {
  NEO4J_URI="bolt://127.0.0.1:$PORT" NEO4J_PASSWORD="$(password)" "$PY" - <<'EOF' 2>/dev/null
import os, sys
try:
    from neo4j import GraphDatabase
except ImportError:
    sys.exit(2)
try:
    with GraphDatabase.driver(os.environ["NEO4J_URI"], auth=("neo4j", os.environ["NEO4J_PASSWORD"])) as d:
        d.execute_query("RETURN 1")
except Exception:
    sys.exit(1)
EOF
}

java_flags() {
  echo "-Xms$HEAP -Xmx$HEAP -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -XX:+UnlockDiagnosticVMOptions \
-XX:+DebugNonSafepoints -Dio.netty.tryReflectionSetAccessible=true -Djdk.nio.maxCachedBufferSize=1024 \
--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
-Dlog4j2.disable.jmx=true -Dfile.encoding=UTF-8"
}

start() {
  if running; then
    say "already running (pid $(cat "$PIDFILE")) on bolt://127.0.0.1:$PORT"
    return
  fi
  install
  configure
  if [ "${KG_NEO4J_APOC:-0}" = "1" ]; then install_apoc; fi
  if [ ! -f "$HOME_DIR/data/dbms/auth.ini" ]; then
    # the password goes through a private argument file (picocli's @file), never on a command line
    local argfile
    argfile="$(umask 077; mktemp "$HOME_DIR/run/pw.XXXXXX")"
    # "--" first: a password that starts with "-" (token_urlsafe gives one in 64) is not an option
    { printf -- '--\n'; password | "$PY" -c 'import sys; p = sys.stdin.read(); print(chr(34) + p.replace(chr(92), chr(92)*2).replace(chr(34), chr(92)+chr(34)) + chr(34))'; } > "$argfile"
    NEO4J_HOME="$HOME_DIR" NEO4J_CONF="$HOME_DIR/conf" \
      java -cp "$(classpath)" org.neo4j.server.startup.Neo4jAdminCommand dbms set-initial-password \
      --require-password-change=false "@$argfile" >> "$LOG.admin" 2>&1 \
      || { rm -f "$argfile"; say "setting the initial password failed (see $LOG.admin)"; exit 1; }
    rm -f "$argfile"
  fi
  say "starting Neo4j $VERSION on bolt://127.0.0.1:$PORT (home $HOME_DIR)"
  # shellcheck disable=SC2046
  nohup java -cp "$(classpath)" $(java_flags) \
      -Dneo4j.home="$HOME_DIR" org.neo4j.server.CommunityEntryPoint \
      --home-dir="$HOME_DIR" --config-dir="$HOME_DIR/conf" --console-mode > "$LOG" 2>&1 &
  echo $! > "$PIDFILE"
  for _ in $(seq 1 120); do
    if ! running; then
      say "the server exited during start-up; last lines of $LOG:"
      tail -n 30 "$LOG" >&2
      exit 1
    fi
    if probe; then
      say "ready: bolt://127.0.0.1:$PORT (user neo4j; password in NEO4J_PASSWORD or $HOME_DIR/password)"
      return
    fi
    sleep 1
  done
  say "not ready after 120 s; see $LOG"
  exit 1
}

stop() {
  if ! running; then
    say "not running"
    rm -f "$PIDFILE"
    return
  fi
  local pid
  pid="$(cat "$PIDFILE")"
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; say "stopped"; return; }
    sleep 1
  done
  say "still running after 60 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
}

case "${1:-status}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  wipe) stop; rm -rf "$HOME_DIR/data" "$HOME_DIR/logs"; say "data deleted" ;;
  status)
    if running && probe; then echo "running: bolt://127.0.0.1:$PORT (pid $(cat "$PIDFILE"))"
    elif running; then echo "starting or unhealthy (pid $(cat "$PIDFILE")); see $LOG"; exit 1
    else echo "not running"; exit 1; fi ;;
  env)
    echo "export NEO4J_URI=bolt://127.0.0.1:$PORT"
    echo "export NEO4J_USER=neo4j"
    echo "export NEO4J_PASSWORD='$(password)'"
    echo "export NEO4J_DATABASE=neo4j" ;;
  *) echo "usage: $0 install|start|stop|restart|status|env|wipe" >&2; exit 2 ;;
esac
