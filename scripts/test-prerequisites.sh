#!/usr/bin/env bash
# What the test suite needs besides npm packages, on a machine of the project's kind (Debian, as root):
# the real `git` client, Debian's Chromium for the browser tests, and PostgreSQL running on 127.0.0.1:5432.
# Installs or starts what is missing and says what it did; does nothing when all is there.
set -euo pipefail

missing=()
command -v git >/dev/null 2>&1 || missing+=(git)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
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
