#!/usr/bin/env bash
# What the test suite needs besides npm packages, on a machine of the project's kind (Debian, as root):
# the real `git` client, Debian's Chromium for the browser tests, GitHub's own clients as Debian ships them (`gh`,
# and PyGithub as python3-github) with `openssl` for the tests' HTTPS certificates, `xmlsec1` to sign the test IdP's SAML responses, PostgreSQL running on
# 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (the PostgreSQL run keeps shared state there), and PostgreSQL's server
# binaries `initdb` and `pg_ctl` plus `redis-server` in PATH: test/e2e/multi-process.test.ts starts a PostgreSQL and a Redis of its own on free
# ports to stop and restart them under traffic. Machines of this kind have all of them (initdb and pg_ctl linked
# into /usr/local/bin from /usr/lib/postgresql/N/bin, where Debian keeps them out of PATH).
# Installs or starts what is missing and says what it did; does nothing when all is there.
set -euo pipefail

missing=()
command -v git >/dev/null 2>&1 || missing+=(git)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v gh >/dev/null 2>&1 || missing+=(gh)
# Debian's python3, which test/e2e/pygithub.test.ts prefers to any other in PATH.
/usr/bin/python3 -c 'import github' >/dev/null 2>&1 || missing+=(python3-github)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# A SAML signer that is not the SP's own verifier (test/helpers/saml-idp.ts signs the test IdP's responses with it).
command -v xmlsec1 >/dev/null 2>&1 || missing+=(xmlsec1)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v pg_isready >/dev/null 2>&1 || missing+=(postgresql)
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "test prerequisites: please install ${missing[*]} (apt-get install ${missing[*]}), then run the tests again." >&2
    exit 1
  fi
  echo "test prerequisites: installing ${missing[*]} from Debian's packages…" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [[ -d /etc/postgresql ]]; then
    echo "test prerequisites: starting PostgreSQL…" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  else
    echo "test prerequisites: PostgreSQL is not running on 127.0.0.1:5432; start it (trust auth), then run the tests again." >&2
    exit 1
  fi
fi

# Debian installs initdb and pg_ctl under /usr/lib/postgresql/N/bin only; the multi-process test calls them by name.
if ! command -v initdb >/dev/null 2>&1 || ! command -v pg_ctl >/dev/null 2>&1; then
  bin_dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [[ -n $bin_dir && $(id -u) -eq 0 ]]; then
    echo "test prerequisites: linking initdb and pg_ctl from $bin_dir into /usr/local/bin…" >&2
    ln -sf "$bin_dir/initdb" "$bin_dir/pg_ctl" /usr/local/bin/
  else
    echo "test prerequisites: initdb and pg_ctl are not in PATH; add PostgreSQL's bin folder (${bin_dir:-/usr/lib/postgresql/N/bin}) to PATH, then run the tests again." >&2
    exit 1
  fi
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "test prerequisites: Redis is not running on 127.0.0.1:6379; start it (redis-server --port 6379), then run the tests again." >&2
    exit 1
  fi
  echo "test prerequisites: starting Redis…" >&2
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { echo "test prerequisites: Redis did not start; see /var/log/redis/ci.log" >&2; exit 1; }
fi
