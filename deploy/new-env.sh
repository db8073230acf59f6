#!/usr/bin/env bash
# Writes the secrets file docker-compose.yml reads (default `.env` beside it) from `.env.example`, with a
# fresh random value on every empty line: base64 of 32 bytes for the keys, 48 hex digits (URL-safe) for
# passwords and tokens. Refuses to overwrite a file: a second MASTER_KEY would make every case unreadable.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${1:-$root/.env}"
if [ -e "$target" ]; then
  echo "$target exists; not overwritten (it holds the master key)." >&2
  exit 1
fi
hex() { od -An -tx1 -N24 /dev/urandom | tr -d ' \n'; }
base64_key() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }
umask 077
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    MASTER_KEY= | JWT_SECRET=) printf '%s%s\n' "$line" "$(base64_key)" ;;
    [A-Z]*=) printf '%s%s\n' "$line" "$(hex)" ;;
    *) printf '%s\n' "$line" ;;
  esac
done < "$root/.env.example" > "$target"
echo "Wrote $target (readable by you only). Back up MASTER_KEY apart from the database backups."
