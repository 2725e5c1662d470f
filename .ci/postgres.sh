# A throwaway Postgres for the store tests and the Postgres bench. Sourced by
# .ci/run and .ci/with-postgres (bash, set -u safe).
#
#   start_test_postgres   installs Debian's postgresql when missing (as root),
#                         starts a cluster in a temporary folder on 127.0.0.1
#                         on a free port as a non-root user, and exports
#                         FOOTNOTE_TEST_DATABASE_URL. On any failure it prints
#                         why, leaves the variable unset and returns 1.
#   stop_test_postgres    stops that cluster and deletes its folder.

TEST_PG_DIR=''
TEST_PG_BIN=''
TEST_PG_USER=''

test_pg_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$found" ] && [ -x "$found/initdb" ] && [ -x "$found/pg_ctl" ] && echo "$found"
}

# Runs a command as the cluster's owner: Postgres refuses to run as root.
test_pg_as_owner() {
  if [ -n "$TEST_PG_USER" ]; then runuser -u "$TEST_PG_USER" -- "$@"; else "$@"; fi
}

test_pg_free_port() {
  node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });"
}

start_test_postgres() {
  TEST_PG_BIN=$(test_pg_bin || true)
  if [ -z "$TEST_PG_BIN" ]; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
      echo "Postgres: not installed, and this is not root on Debian, so it cannot be installed here (apt-get install postgresql)."
      return 1
    fi
    echo "Postgres: installing Debian's postgresql package…"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/tmp/footnote-pg-install.log 2>&1; }; then
      echo "Postgres: apt-get install postgresql failed: $(tail -n 3 /tmp/footnote-pg-install.log 2>/dev/null | tr '\n' ' ')"
      return 1
    fi
    TEST_PG_BIN=$(test_pg_bin || true)
    if [ -z "$TEST_PG_BIN" ]; then
      echo "Postgres: postgresql installed, but no /usr/lib/postgresql/*/bin/initdb was found."
      return 1
    fi
  fi

  TEST_PG_USER=''
  if [ "$(id -u)" = 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      echo "Postgres: running as root and there is no 'postgres' user to run the server as."
      return 1
    fi
    TEST_PG_USER=postgres
  fi

  TEST_PG_DIR=$(mktemp -d /tmp/footnote-pg.XXXXXX)
  [ -n "$TEST_PG_USER" ] && chown "$TEST_PG_USER" "$TEST_PG_DIR"
  chmod 700 "$TEST_PG_DIR"
  local port password
  port=$(test_pg_free_port)
  # A real password, so the tests can check that it never shows in an error.
  password="ci-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  test_pg_as_owner sh -c "umask 077; printf '%s\n' '$password' > '$TEST_PG_DIR/pwfile'"

  if ! test_pg_as_owner "$TEST_PG_BIN/initdb" -D "$TEST_PG_DIR/data" -U footnote --pwfile="$TEST_PG_DIR/pwfile" \
    --auth=scram-sha-256 -E UTF8 --no-instructions >"$TEST_PG_DIR/initdb.log" 2>&1; then
    echo "Postgres: initdb failed: $(tail -n 3 "$TEST_PG_DIR/initdb.log" | tr '\n' ' ')"
    stop_test_postgres
    return 1
  fi
  # Throwaway data: no fsync unless asked (FOOTNOTE_PG_FSYNC=on, as the bench does), so tests wait on Footnote, not the disk.
  if ! test_pg_as_owner "$TEST_PG_BIN/pg_ctl" -D "$TEST_PG_DIR/data" -l "$TEST_PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$TEST_PG_DIR -c max_connections=300 -c fsync=${FOOTNOTE_PG_FSYNC:-off}" \
    start >/dev/null 2>&1; then
    echo "Postgres: the server did not start: $(tail -n 3 "$TEST_PG_DIR/server.log" 2>/dev/null | tr '\n' ' ')"
    stop_test_postgres
    return 1
  fi
  export FOOTNOTE_TEST_DATABASE_URL="postgres://footnote:$password@127.0.0.1:$port/postgres"
  echo "Postgres: $("$TEST_PG_BIN/postgres" --version) on 127.0.0.1:$port (throwaway cluster in $TEST_PG_DIR)"
}

stop_test_postgres() {
  if [ -n "$TEST_PG_DIR" ] && [ -d "$TEST_PG_DIR" ]; then
    if [ -f "$TEST_PG_DIR/data/postmaster.pid" ]; then
      test_pg_as_owner "$TEST_PG_BIN/pg_ctl" -D "$TEST_PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$TEST_PG_DIR"
  fi
  TEST_PG_DIR=''
  unset FOOTNOTE_TEST_DATABASE_URL
}
